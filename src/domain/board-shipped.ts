import type { BoardFile, BoardPanel } from '../contract/board.ts';

/**
 * A row of tiles across the top of a shipped board, two rows high, side by side from the left:
 * one figure each, of the board's unit and period, against the period before and the same
 * period last year.
 */
function tileRow(tiles: readonly (readonly [figure: string, width: number])[]): BoardPanel[] {
  let x = 0;
  return tiles.map(([figure, w]) => {
    const grid = { x, y: 0, w, h: 2 };
    x += w;
    return {
      id: `tile-${figure.toLowerCase()}`,
      kind: 'tile',
      grid,
      figures: [figure],
      units: ['$unit'],
      periods: ['$period'],
      options: { compare: ['previous', 'last_year'] },
    };
  });
}

/**
 * The board Opsroom opens when neither a unit nor any unit above it has chosen one: today's
 * overview (issue 19) — five tiles of the demo's daily figures over the last seven days, the map of the country, a
 * trend, a ranking of the units below and the alerts. A deployment without these figures sees
 * each panel say which figure is missing; the board still opens.
 */
export const SHIPPED_BOARD: BoardFile = {
  format: 'opsroom.board',
  formatVersion: 1,
  uid: 'opsroom-overview',
  name: 'Tổng quan',
  description:
    'Bảy ngày qua so với bảy ngày trước và cùng kỳ năm trước: bản đồ, xu hướng, xếp hạng, cảnh báo',
  // As the room opens: the last seven whole days (today's figures are still coming in).
  variables: { unit: 'my_unit', period: 'LAST_7_DAYS' },
  panels: [
    ...tileRow([
      ['HEALTH_DECLARATIONS', 2],
      ['TESTS_DONE', 2],
      ['POSITIVE_CASES', 2],
      ['CASES_TRACED', 3],
      ['SPAM_REPORTS', 3],
    ]),
    {
      id: 'map',
      kind: 'map',
      title: 'Bản đồ ca dương tính',
      grid: { x: 0, y: 2, w: 8, h: 6 },
      figures: ['POSITIVE_CASES'],
      // The units under the viewer's: the provinces on the national board, a province's
      // communes on its own.
      units: ['children'],
      periods: ['$period'],
      options: { style: 'choropleth' },
    },
    {
      id: 'trend',
      kind: 'trend',
      title: 'Xét nghiệm và ca dương tính, 14 ngày',
      grid: { x: 8, y: 2, w: 4, h: 3 },
      figures: ['TESTS_DONE', 'POSITIVE_CASES'],
      units: ['$unit'],
      periods: ['LAST_14_DAYS'],
      options: {},
    },
    {
      id: 'ranking',
      kind: 'ranking',
      title: 'Xếp hạng ca dương tính',
      grid: { x: 8, y: 5, w: 4, h: 3 },
      figures: ['POSITIVE_CASES'],
      units: ['children'],
      periods: ['$period'],
      options: { order: 'desc', limit: 10 },
    },
    {
      id: 'alerts',
      kind: 'alerts',
      title: 'Cảnh báo',
      grid: { x: 0, y: 8, w: 12, h: 3 },
      figures: [],
      units: ['$unit'],
      periods: [],
      options: { limit: 10 },
    },
  ],
};

/**
 * A second board the demo ships (shared with everyone, not a default): the month just ended
 * against the one before and the same month last year, a pivot of the provinces over six
 * months, two figures on one trend — what a leader's office would build for its monthly
 * meeting, and twelve panels, as the page-load benchmark asks.
 */
export const DEMO_MONTHLY_BOARD: BoardFile = {
  format: 'opsroom.board',
  formatVersion: 1,
  uid: 'opsroom-monthly',
  name: 'Giao ban tháng',
  description: 'Tháng vừa qua so với tháng trước và cùng kỳ năm trước; các tỉnh qua sáu tháng',
  variables: { unit: 'my_unit', period: 'LAST_MONTH' },
  panels: [
    ...tileRow(
      [
        'POSITIVE_CASES',
        'TESTS_DONE',
        'TEST_POSITIVITY_PCT',
        'CASES_TRACED',
        'HEALTH_DECLARATIONS',
        'SPAM_REPORTS',
      ].map((figure) => [figure, 2] as const),
    ),
    {
      id: 'map',
      kind: 'map',
      title: 'Tỷ lệ dương tính theo địa bàn',
      grid: { x: 0, y: 2, w: 6, h: 7 },
      figures: ['TEST_POSITIVITY_PCT'],
      units: ['children'],
      periods: ['$period'],
      options: { style: 'choropleth' },
    },
    {
      id: 'trend',
      kind: 'trend',
      title: 'Ca dương tính và ca truy vết, 12 tháng',
      grid: { x: 6, y: 2, w: 6, h: 4 },
      figures: ['POSITIVE_CASES', 'CASES_TRACED'],
      units: ['$unit'],
      periods: ['LAST_12_MONTHS'],
      options: {},
    },
    {
      id: 'ranking',
      kind: 'ranking',
      title: 'Tin nhắn rác được báo cáo nhiều nhất',
      grid: { x: 6, y: 6, w: 6, h: 3 },
      figures: ['SPAM_REPORTS'],
      units: ['children'],
      periods: ['$period'],
      options: { order: 'desc', limit: 10 },
    },
    {
      id: 'pivot',
      kind: 'pivot',
      title: 'Ca dương tính theo địa bàn, sáu tháng',
      grid: { x: 0, y: 9, w: 8, h: 7 },
      figures: ['POSITIVE_CASES'],
      units: ['children'],
      periods: ['LAST_6_MONTHS'],
      options: { rows: ['ou'], columns: ['pe'] },
    },
    {
      id: 'alerts',
      kind: 'alerts',
      title: 'Cảnh báo đang mở',
      grid: { x: 8, y: 9, w: 4, h: 4 },
      figures: [],
      units: ['$unit'],
      periods: [],
      options: { limit: 5 },
    },
    {
      id: 'note',
      kind: 'text',
      title: 'Ghi chú',
      grid: { x: 8, y: 13, w: 4, h: 3 },
      figures: [],
      units: [],
      periods: [],
      options: {
        text: 'Số liệu demo. Chọn đơn vị và kỳ ở đầu bảng: mọi ô đi theo.\nBảng dựng sẵn; sao chép để tự sửa.',
      },
    },
  ],
};
