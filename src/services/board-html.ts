import * as echarts from 'echarts';
import type { FeatureCollection, Geometry } from 'geojson';
import type { AnalyticsCell } from '../contract/analytics.ts';
import type { BoardPanel, PanelData, PanelProblem } from '../contract/board.ts';
import { GRID_COLUMNS } from '../domain/board.ts';
import { parsePeriod } from '../domain/period.ts';
// The screen's own rules (src/domain, which the web app imports too): a figure, a change, a
// map's colours and the archipelagos' names read the same on paper as on screen.
import {
  cellIndex,
  doneShare,
  headerSpans,
  mapModel,
  panelTitle,
  periodsLabel,
  rankUnits,
  unitCellIndex,
  type FigureFormat,
} from '../domain/board-view.ts';
import { archipelagoSpots, splitFar } from '../domain/map-geometry.ts';
import { insetKey, mapOption } from '../domain/map-option.ts';
import { LIGHT_MAP } from '../domain/map-scale.ts';
import {
  changeDecimals,
  formatChange,
  formatCompact,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatValue,
  printedDecimals,
  unitLabel,
  type Lang,
} from '../domain/vn-format.ts';
import type { FigureDirection } from '../domain/direction.ts';

/**
 * A board's print page (issue 19): pure HTML for A4 landscape, printed by Chromium (board-pdf.ts).
 * Each panel in the board's layout order with its title, drawn from the same answers the screen
 * draws (PanelData): tiles with their comparisons, rankings and pivots as tables, breakdowns as
 * bars, trends and maps as SVG rendered here by ECharts (no script runs on the page), alerts and a
 * directive's progress as lists, text as text. Panels stand in bands as on the board's grid; a
 * band or a panel taller than a page is laid out again before printing (board-pdf.ts `fitPanels`).
 */

export type { FigureFormat };

/** A boundary map for a map panel: its key and GeoJSON (properties `code`, `name`). */
export interface PrintMap {
  key: string;
  geo: FeatureCollection<Geometry, { code: string; name: string }>;
  /** Thousands of small regions: thinner borders. */
  dense: boolean;
}

export interface PrintPanel {
  panel: BoardPanel;
  /** The panel's answer; null for a text panel. */
  data: PanelData | null;
  /** Why the panel cannot be shown to this viewer (printed instead of figures). */
  problem: PanelProblem | null;
  /** For a map panel whose units have a boundary map. */
  map?: PrintMap;
}

export interface PrintBoard {
  name: string;
  description: string;
  /** The board's unit and period, resolved ("Thành phố Hồ Chí Minh", "tháng 10/2026"). */
  unit: string;
  period: string;
  /** When the figures were read (ISO). */
  asOf: string;
  panels: PrintPanel[];
  /** Units and decimals of a figure, by code (ELEMENT.OPTION: its element's). */
  formatOf: (code: string) => FigureFormat | undefined;
  lang: Lang;
}

/** The printable width of A4 landscape with 10 mm margins, in CSS pixels (277 mm at 96 dpi). */
export const SHEET_WIDTH_PX = Math.floor((277 / 25.4) * 96);
/** The page's height left for panels: 210 mm less the margins (10 mm top, 12 mm bottom). */
export const SHEET_HEIGHT_MM = 188;
const GAP_PX = 10;
const PAD_PX = 12;

const WORDS = {
  vi: {
    unit: 'Đơn vị',
    period: 'Kỳ',
    asOf: 'Số liệu lúc',
    page: 'Trang',
    problem: 'Không hiển thị được ô này',
    noFigures: 'Ô này chưa chọn chỉ tiêu nào.',
    noValues: 'Chưa có số liệu cho kỳ và đơn vị này.',
    noData: 'Chưa có số liệu',
    vsLastYear: 'so với cùng kỳ',
    vsPrevious: 'so với kỳ trước',
    vsPreviousDay: 'so với hôm trước',
    vsPreviousMonth: 'so với tháng trước',
    noComparison: 'chưa có số liệu',
    reported: 'theo số liệu công bố',
    target: (share: string, target: string, due: string) =>
      `Đạt ${share} mục tiêu ${target} (hạn ${due})`,
    legend: 'Chú giải',
    legendMore: 'Màu đậm hơn: cao hơn',
    legendMoreWorse: 'Màu đậm hơn: cao hơn, xấu hơn',
    legendMoreBetter: 'Màu đậm hơn: cao hơn, tốt hơn',
    mapNoValue: 'Chưa có số liệu',
    mapOutOfPanel: 'Ngoài ô này',
    mapNoBoundary: 'Chưa có bản đồ ranh giới cho các đơn vị này; số liệu được liệt kê bên dưới.',
    hoangSa: 'Quần đảo Hoàng Sa (Đà Nẵng)',
    truongSa: 'Quần đảo Trường Sa (Khánh Hòa)',
    rank: 'Hạng',
    unitCol: 'Đơn vị',
    value: 'Giá trị',
    rankingAsc: 'Xếp từ thấp lên cao.',
    dims: { dx: 'Chỉ tiêu', pe: 'Kỳ', ou: 'Đơn vị' },
    alertsNone: 'Không có cảnh báo nào đang mở.',
    alertsUnavailable: 'Chưa lấy được danh sách cảnh báo.',
    op: { '>': 'vượt', '>=': 'từ', '<': 'dưới', '<=': 'không quá' },
    violations: (n: string, level: string) => `${n} vi phạm mức ${level} chưa xác nhận`,
    levels: { HIGH: 'cao', MEDIUM: 'trung bình', LOW: 'thấp' } as Record<string, string>,
    directiveDue: (d: string) => `Hạn ${d}`,
    directiveDone: (done: string, total: string, share: string) =>
      `${done}/${total} việc đã xong (${share})`,
    directiveNoTasks: 'Chưa giao việc nào.',
    counts: ['Đã xong', 'Đang làm', 'Vướng mắc', 'Quá hạn', 'Chưa xem'],
    kinds: {
      tile: 'Thẻ số liệu',
      map: 'Bản đồ',
      trend: 'Xu hướng',
      ranking: 'Xếp hạng',
      pivot: 'Bảng',
      breakdown: 'Cơ cấu',
      alerts: 'Cảnh báo',
      directive: 'Tiến độ chỉ đạo',
      text: 'Ghi chú',
    },
  },
  en: {
    unit: 'Unit',
    period: 'Period',
    asOf: 'Figures at',
    page: 'Page',
    problem: 'This panel cannot be shown',
    noFigures: 'This panel has no figure chosen yet.',
    noValues: 'No figures yet for this period and unit.',
    noData: 'No data yet',
    vsLastYear: 'vs same period last year',
    vsPrevious: 'vs previous period',
    vsPreviousDay: 'vs day before',
    vsPreviousMonth: 'vs previous month',
    noComparison: 'no data',
    reported: 'as reported',
    target: (share: string, target: string, due: string) =>
      `${share} of the target ${target} (due ${due})`,
    legend: 'Legend',
    legendMore: 'Darker: higher',
    legendMoreWorse: 'Darker: higher, worse',
    legendMoreBetter: 'Darker: higher, better',
    mapNoValue: 'No data',
    mapOutOfPanel: 'Outside this panel',
    mapNoBoundary: 'No boundary map for these units yet; their figures are listed below.',
    hoangSa: 'Hoàng Sa archipelago (Đà Nẵng)',
    truongSa: 'Trường Sa archipelago (Khánh Hòa)',
    rank: 'Rank',
    unitCol: 'Unit',
    value: 'Value',
    rankingAsc: 'Lowest first.',
    dims: { dx: 'Figure', pe: 'Period', ou: 'Unit' },
    alertsNone: 'No open alerts.',
    alertsUnavailable: 'Could not load the alerts.',
    op: { '>': 'above', '>=': 'at least', '<': 'below', '<=': 'at most' },
    violations: (n: string, level: string) => `${n} unconfirmed ${level} violations`,
    levels: { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' } as Record<string, string>,
    directiveDue: (d: string) => `Due ${d}`,
    directiveDone: (done: string, total: string, share: string) =>
      `${done} of ${total} tasks done (${share})`,
    directiveNoTasks: 'No task assigned yet.',
    counts: ['Done', 'In progress', 'Blocked', 'Overdue', 'Unread'],
    kinds: {
      tile: 'Figures',
      map: 'Map',
      trend: 'Trend',
      ranking: 'Ranking',
      pivot: 'Table',
      breakdown: 'Breakdown',
      alerts: 'Alerts',
      directive: 'Directive progress',
      text: 'Note',
    },
  },
} as const;

type Words = (typeof WORDS)[Lang];

/** Text as HTML text: nothing a board's author or a unit's name holds is ever markup. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
const e = escapeHtml;

/** Panels in the board's layout order: top to bottom, left to right. */
export function layoutOrder<T extends { panel: Pick<BoardPanel, 'grid'> }>(panels: T[]): T[] {
  return [...panels].sort(
    (a, b) => a.panel.grid.y - b.panel.grid.y || a.panel.grid.x - b.panel.grid.x,
  );
}

/**
 * The board's grid cut into bands: panels whose rows overlap stand in one band (printed side by
 * side, as on screen); a band starts where no panel above reaches.
 */
export function bands<T extends { panel: Pick<BoardPanel, 'grid'> }>(panels: T[]): T[][] {
  const out: T[][] = [];
  let end = -1;
  for (const p of layoutOrder(panels)) {
    const g = p.panel.grid;
    if (out.length === 0 || g.y >= end) {
      out.push([p]);
      end = g.y + g.h;
    } else {
      out[out.length - 1]!.push(p);
      end = Math.max(end, g.y + g.h);
    }
  }
  return out;
}

/** The width a panel of `w` columns gets on paper, in CSS pixels (its padding taken off). */
const panelWidth = (w: number) =>
  Math.floor(((SHEET_WIDTH_PX + GAP_PX) * w) / GRID_COLUMNS - GAP_PX - 2 * PAD_PX - 2);

type Cell = AnalyticsCell;

function valueText(
  lang: Lang,
  f: FigureFormat | undefined,
  v: number | null | undefined,
  compact = true,
) {
  return formatValue(lang, v, f?.unit, { decimals: f?.decimals, compact });
}

/** What "previous" is, by the kind of period shown. */
function previousLabel(w: Words, pe: string | undefined): string {
  try {
    const type = pe ? parsePeriod(pe).type : undefined;
    if (type === 'day') return w.vsPreviousDay;
    if (type === 'month') return w.vsPreviousMonth;
  } catch {
    // a relative or unknown period: said in general
  }
  return w.vsPrevious;
}

/** A change with its arrow and its word ("▲ 14,1% xấu so với tháng trước"), coloured by it. */
function changeMark(
  lang: Lang,
  w: Words,
  change: Cell['pop'],
  against: string,
  direction: FigureDirection | undefined,
): string {
  if (!change || change.pct === null)
    return `<span class="change change-none">${e(against ? `${against}: ${w.noComparison}` : '–')}</span>`;
  const c = formatChange(
    lang,
    change.pct,
    change.source === 'reported' ? printedDecimals(change.pct) : changeDecimals(change.pct),
    direction,
  );
  const verdict = c.verdict ? ` <b>${e(c.verdict)}</b>` : '';
  const reported = change.source === 'reported' ? ` (${e(w.reported)})` : '';
  return `<span class="change change-${c.judgement}">${e(c.text)}${verdict}${against ? ` ${e(against)}` : ''}${reported}</span>`;
}

/** "10,9 triệu lượt": the number large, the counting word ("lượt") smaller after it. */
function valueParts(text: string, unit: string): string {
  if (!unit || unit === '%' || !text.endsWith(' ' + unit)) return e(text);
  return `${e(text.slice(0, -unit.length - 1))} <span class="tile-unit-word">${e(unit)}</span>`;
}

function tileView(p: PrintPanel, d: PanelData, b: PrintBoard, w: Words): string {
  const { lang } = b;
  const pe = d.periods.length === 1 ? d.periods[0]!.id : undefined;
  const at = unitCellIndex(d.cells);
  const period = periodsLabel(d.periods);
  const asked = p.panel.kind === 'tile' ? p.panel.options.compare : undefined;
  const compare =
    asked ??
    (['previous', 'last_year'] as const).filter((k) =>
      d.cells.some((c) => (k === 'previous' ? c.pop : c.yoy) !== undefined),
    );
  const units = d.units.length > 0 ? d.units : [undefined];
  return units
    .map((u) => {
      const head = units.length > 1 && u ? `<h4 class="tile-unit">${e(u.name)}</h4>` : '';
      const tiles = d.figures.map((f) => {
        const cell = u ? at(f.code, u.code) : d.cells.find((c) => c.dx === f.code);
        const fmt = b.formatOf(f.code);
        const value = cell?.value ?? null;
        const changes: string[] = [];
        if (compare.includes('previous'))
          changes.push(changeMark(lang, w, cell?.pop, previousLabel(w, pe), f.direction));
        if (compare.includes('last_year'))
          changes.push(changeMark(lang, w, cell?.yoy, w.vsLastYear, f.direction));
        const target = cell?.target;
        const targetLine =
          target && target.share !== null
            ? `<p class="tile-target">${e(
                w.target(
                  formatPercent(lang, target.share, 0),
                  valueText(lang, fmt, target.value),
                  formatDate(lang, target.due),
                ),
              )}</p>`
            : '';
        return `<div class="tile" data-figure="${e(f.code)}">
<p class="tile-name">${e(f.name)}</p>
<p class="tile-value">${value === null ? `<span class="muted">${e(w.noData)}</span>` : valueParts(valueText(lang, fmt, value), unitLabel(lang, fmt?.unit))}</p>
<p class="tile-period">${e(period)}</p>
${changes.map((c) => `<p class="tile-change">${c}</p>`).join('\n')}
${targetLine}
</div>`;
      });
      return `${head}<div class="tiles">${tiles.join('')}</div>`;
    })
    .join('');
}

function rankingView(p: PrintPanel, d: PanelData, b: PrintBoard, w: Words): string {
  const { lang } = b;
  const figure = d.figures[0]!;
  const fmt = b.formatOf(figure.code);
  const at = unitCellIndex(d.cells);
  const order = p.panel.kind === 'ranking' ? p.panel.options.order : 'desc';
  const limit = p.panel.kind === 'ranking' ? p.panel.options.limit : 10;
  const pe = d.periods.length === 1 ? d.periods[0]!.id : undefined;
  const ranked = rankUnits(d.units, (code) => at(figure.code, code)?.value, order).slice(0, limit);
  const changes = ranked.some((r) => at(figure.code, r.unit.code)?.pop);
  const rows = ranked.map(({ unit, rank, value }) => {
    const cell = at(figure.code, unit.code);
    return `<tr><td class="num">${rank ?? ''}</td><td>${e(unit.name)}</td><td class="num">${e(valueText(lang, fmt, value, false))}</td>${changes ? `<td>${changeMark(lang, w, cell?.pop, '', figure.direction)}</td>` : ''}</tr>`;
  });
  return `<p class="caption">${e(figure.name)} · ${e(periodsLabel(d.periods))}${order === 'asc' ? ` · ${e(w.rankingAsc)}` : ''}</p>
<table class="grid-table"><thead><tr><th class="num">${e(w.rank)}</th><th>${e(w.unitCol)}</th><th class="num">${e(w.value)}</th>${changes ? `<th>${e(previousLabel(w, pe))}</th>` : ''}</tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

function pivotView(d: PanelData, b: PrintBoard, w: Words): string {
  const pv = d.pivot;
  if (!pv || pv.values.length === 0) return `<p class="muted">${e(w.noValues)}</p>`;
  const { lang } = b;
  const rowSpans = headerSpans(pv.rowHeaders);
  const colSpans = headerSpans(pv.columnHeaders);
  const dxRow = pv.rows.indexOf('dx');
  const dxCol = pv.columns.indexOf('dx');
  const formatOf = (r: number, c: number) => {
    const code =
      dxRow >= 0
        ? pv.rowHeaders[r]?.[dxRow]?.id
        : dxCol >= 0
          ? pv.columnHeaders[c]?.[dxCol]?.id
          : d.figures[0]?.code;
    return code ? b.formatOf(code) : undefined;
  };
  const head: string[] = [];
  const depth = Math.max(1, pv.columns.length);
  for (let level = 0; level < depth; level++) {
    const corner =
      level === depth - 1
        ? pv.rows.map((r) => `<th>${e(w.dims[r])}</th>`).join('')
        : `<th colspan="${pv.rows.length}"></th>`;
    const cells =
      pv.columns.length === 0
        ? `<th class="num">${e(w.value)}</th>`
        : pv.columnHeaders
            .map((col, c) => {
              const span = colSpans[c]?.[level] ?? 1;
              if (span === 0) return '';
              return `<th class="num"${span > 1 ? ` colspan="${span}"` : ''}>${e(col[level]?.label ?? '')}</th>`;
            })
            .join('');
    head.push(`<tr>${corner}${cells}</tr>`);
  }
  const body = pv.values.map((row, r) => {
    const heads = (pv.rowHeaders[r] ?? [])
      .map((item, level) => {
        const span = rowSpans[r]?.[level] ?? 1;
        if (span === 0) return '';
        return `<th${span > 1 ? ` rowspan="${span}"` : ''}>${e(item.label)}</th>`;
      })
      .join('');
    const cells = row
      .map((v, c) => `<td class="num">${e(valueText(lang, formatOf(r, c), v, false))}</td>`)
      .join('');
    return `<tr>${heads}${cells}</tr>`;
  });
  return `<table class="grid-table pivot"><thead>${head.join('')}</thead><tbody>${body.join('')}</tbody></table>`;
}

function breakdownView(d: PanelData, b: PrintBoard, w: Words): string {
  const at = unitCellIndex(d.cells);
  const units = d.units.length > 0 ? d.units : [undefined];
  const bars = d.figures.flatMap((f) =>
    units.map((u) => {
      const cell = u ? at(f.code, u.code) : d.cells.find((c) => c.dx === f.code);
      const value = cell?.value ?? null;
      const name =
        units.length > 1 && u ? (d.figures.length > 1 ? `${f.name} — ${u.name}` : u.name) : f.name;
      return { name, value, label: valueText(b.lang, b.formatOf(f.code), value, false) };
    }),
  );
  if (bars.every((x) => x.value === null)) return `<p class="muted">${e(w.noValues)}</p>`;
  const max = Math.max(...bars.map((x) => Math.abs(x.value ?? 0)), 0) || 1;
  return `<table class="bars">${bars
    .map(
      (x) =>
        `<tr><td class="bar-name">${e(x.name)}</td><td class="bar-cell"><span class="bar" style="width:${((Math.abs(x.value ?? 0) / max) * 100).toFixed(1)}%"></span></td><td class="num">${e(x.label)}</td></tr>`,
    )
    .join('')}</table>`;
}

/** Distinguishable on white and apart for common colour blindness (the screen's trend colours). */
const LINE_COLOURS = [
  '#0b57a4',
  '#d9480f',
  '#2b8a3e',
  '#862e9c',
  '#5f3dc4',
  '#c2255c',
  '#0c8599',
  '#5c940d',
];
const FONT = '"Liberation Sans", "DejaVu Sans", Arial, sans-serif';
/** Lines past this are left to the download, as on screen. */
const MAX_LINES = 8;

/** An ECharts option drawn to an SVG string at the server (its server-side renderer). */
function svgOf(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function trendView(p: PrintPanel, d: PanelData, b: PrintBoard): string {
  const { lang } = b;
  const at = cellIndex(d.cells);
  const units = d.units.length > 0 ? d.units : [undefined];
  const lines = d.figures
    .flatMap((f) =>
      units.map((u) => ({
        name:
          u && units.length > 1
            ? d.figures.length > 1
              ? `${f.name} — ${u.name}`
              : u.name
            : f.name,
        values: d.periods.map((pe) => {
          const cell = u
            ? at(f.code, pe.id, u.code)
            : d.cells.find((c) => c.dx === f.code && c.pe === pe.id);
          return cell?.value ?? null;
        }),
      })),
    )
    .slice(0, MAX_LINES);
  const labels = d.periods.map((pe) => formatPeriodShortOf(lang, pe.id, pe.label));
  const width = panelWidth(p.panel.grid.w);
  const height = Math.max(180, Math.min(420, p.panel.grid.h * 62));
  const text = '#4a5565';
  const grid = '#e3e8ef';
  const svg = svgOf(
    {
      color: LINE_COLOURS,
      legend: { top: 0, textStyle: { color: text, fontSize: 11 }, itemWidth: 18, itemHeight: 10 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: text, fontSize: 10 },
        axisLine: { lineStyle: { color: grid } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        axisLabel: {
          color: text,
          fontSize: 10,
          formatter: (v: number) => formatCompact(lang, v, { decimals: 1 }),
        },
        splitLine: { lineStyle: { color: grid } },
      },
      series: lines.map((l) => ({
        type: 'line',
        name: l.name,
        data: l.values,
        connectNulls: false,
        showSymbol: labels.length <= 14,
        symbolSize: 5,
        lineStyle: { width: 2.2 },
      })),
    },
    width,
    height,
  );
  return `<div class="chart">${svg}</div>`;
}

/** "10/2026" for a month on an axis, as the screen's axis writes it. */
function formatPeriodShortOf(lang: Lang, id: string, label: string): string {
  try {
    const p = parsePeriod(id);
    if (p.type === 'day') {
      const [, m, dd] = p.start.split('-');
      return lang === 'vi'
        ? `${dd}/${m}`
        : formatDate('en', p.start).split(' ').slice(0, 2).join(' ');
    }
    if (p.type === 'month') {
      const [y, m] = p.start.split('-');
      return `${m}/${y}`;
    }
  } catch {
    // a label as the server wrote it
  }
  return label;
}

const registered = new Set<string>();

function mapView(p: PrintPanel, d: PanelData, b: PrintBoard, w: Words): string {
  const { lang } = b;
  const figure = d.figures[0]!;
  const fmt = b.formatOf(figure.code);
  const at = unitCellIndex(d.cells);
  const values = new Map(d.units.map((u) => [u.code, at(figure.code, u.code)?.value ?? null]));
  if (!p.map)
    return `<p class="muted">${e(w.mapNoBoundary)}</p><table class="grid-table">${d.units
      .map(
        (u) =>
          `<tr><td>${e(u.name)}</td><td class="num">${e(valueText(lang, fmt, values.get(u.code), false))}</td></tr>`,
      )
      .join('')}</table>`;
  const model = mapModel({
    lang,
    features: p.map.geo.features,
    units: d.units,
    values,
    direction: figure.direction,
    format: fmt,
    dark: false,
    words: { noValue: w.mapNoValue, outOfScope: w.mapOutOfPanel, rank: () => '' },
  });
  // Far-off islands go to a framed inset, as on screen (the same option, src/domain/map-option.ts).
  const parts = splitFar(p.map.geo);
  if (!registered.has(p.map.key)) {
    const register = (key: string, features: typeof parts.main) =>
      echarts.registerMap(key, { ...p.map!.geo, features } as unknown as Parameters<
        typeof echarts.registerMap
      >[1]);
    register(p.map.key, parts.main);
    if (parts.inset.length > 0) register(insetKey(p.map.key), parts.inset);
    registered.add(p.map.key);
  }
  const theme = LIGHT_MAP;
  const names = { hoang_sa: w.hoangSa, truong_sa: w.truongSa };
  const archipelagos = [
    ...archipelagoSpots({ features: parts.main }).map((a) => ({ ...a, name: names[a.id] })),
    ...archipelagoSpots({ features: parts.inset }).map((a) => ({
      ...a,
      name: names[a.id],
      inInset: true,
    })),
  ];
  const width = panelWidth(p.panel.grid.w);
  const height = Math.max(240, Math.min(560, p.panel.grid.h * 80));
  const option = mapOption({
    mapKey: p.map.key,
    regions: model.regions,
    theme,
    dense: p.map.dense,
    view: undefined,
    labels: 'none',
    // 11 px labels, as the rest of the page's small print.
    fontPx: 14,
    archipelagos,
    fadeIn: false,
    inset: { codes: parts.inset.map((f) => f.properties.code), corner: parts.corner },
    boxAspect: width / height,
  });
  // Paper: no tooltip, nothing to hover or drag.
  const svg = svgOf(
    {
      ...option,
      animation: false,
      tooltip: undefined,
      series: option.series.map((x) => ({ ...x, silent: true, roam: false })),
    },
    width,
    height,
  );
  const unit = unitLabel(lang, fmt?.unit);
  const legend =
    model.legend.length > 0
      ? `<div class="legend"><span>${e(w.legend)}${unit ? ` (${e(unit)})` : ''}:</span>${model.legend
          .map(
            (l) =>
              `<span class="key"><i style="background:${e(l.colour)}"></i>${e(l.label)}</span>`,
          )
          .join(
            '',
          )}${model.hasNoData ? `<span class="key"><i style="background:${theme.noData}"></i>${e(w.mapNoValue)}</span>` : ''}<span class="muted">${e(w[model.legendNote])}</span></div>`
      : '';
  return `<div class="chart map">${svg}</div>${legend}`;
}

function alertsView(p: PrintPanel, d: PanelData, b: PrintBoard, w: Words): string {
  const { lang } = b;
  if (d.alerts === null) return `<p class="muted">${e(w.alertsUnavailable)}</p>`;
  if (d.alerts.length === 0) return `<p class="muted">${e(w.alertsNone)}</p>`;
  const limit = p.panel.kind === 'alerts' ? p.panel.options.limit : 10;
  return `<ul class="alerts">${d.alerts
    .slice(0, limit)
    .map((a) => {
      const violations = a.rule.subjectType === 'violations';
      const fmt = violations ? undefined : b.formatOf(a.rule.subject);
      const v = (n: number | null) =>
        violations ? formatNumber(lang, n ?? 0) : valueText(lang, fmt, n, false);
      const value = violations
        ? w.violations(v(a.value), w.levels[a.rule.subject] ?? a.rule.subject)
        : v(a.value);
      return `<li><span class="alert-mark">⚠</span> <b>${e(a.unit.fullName)}</b> — ${e(lang === 'vi' ? a.rule.nameVi : a.rule.nameEn)}<br><span>${e(value)} — ${e(w.op[a.operator])} ${e(v(a.threshold))} · ${e(a.periodLabel[lang])}</span> <span class="muted">${e(formatDateTime(lang, a.openedAt))}</span></li>`;
    })
    .join('')}</ul>`;
}

function directiveView(d: PanelData, b: PrintBoard, w: Words): string {
  const x = d.directive;
  if (!x) return `<p class="muted">${e(w.noValues)}</p>`;
  const { lang } = b;
  const share = doneShare(x);
  const due = x.dueDate ? `<p>${e(w.directiveDue(formatDate(lang, x.dueDate)))}</p>` : '';
  if (share === null) return `${due}<p class="muted">${e(w.directiveNoTasks)}</p>`;
  const counts = [x.done, x.inProgress, x.blocked, x.overdue, Math.max(0, x.total - x.read)];
  return `${due}<p class="progress"><span class="bar-track"><span class="bar" style="width:${share}%"></span></span> ${e(
    w.directiveDone(
      formatNumber(lang, x.done),
      formatNumber(lang, x.total),
      formatPercent(lang, share, 0),
    ),
  )}</p><ul class="counts">${counts
    .map((n, i) => `<li><b>${e(formatNumber(lang, n))}</b> ${e(w.counts[i]!)}</li>`)
    .join('')}</ul>`;
}

function bodyOf(p: PrintPanel, b: PrintBoard, w: Words): string {
  if (p.problem)
    return `<div class="problem"><span class="alert-mark">⚠</span> <b>${e(w.problem)}</b><br>${e(p.problem[b.lang])}</div>`;
  if (p.panel.kind === 'text') return `<div class="text">${e(p.panel.options.text)}</div>`;
  const d = p.data;
  if (!d) return `<p class="muted">${e(w.noValues)}</p>`;
  if (p.panel.kind === 'alerts') return alertsView(p, d, b, w);
  if (p.panel.kind === 'directive') return directiveView(d, b, w);
  if (d.figures.length === 0) return `<p class="muted">${e(w.noFigures)}</p>`;
  switch (p.panel.kind) {
    case 'tile':
      return tileView(p, d, b, w);
    case 'map':
      return mapView(p, d, b, w);
    case 'trend':
      return trendView(p, d, b);
    case 'ranking':
      return rankingView(p, d, b, w);
    case 'pivot':
      return pivotView(d, b, w);
    case 'breakdown':
      return breakdownView(d, b, w);
  }
}

/** "14:05": when figures were read, in Viet Nam's time. */
const timeOf = (iso: string) => formatDateTime('vi', iso).slice(0, 5);

/** Kinds whose figures are a question to analytics: their header says where and when. */
const DATA_KINDS = new Set(['tile', 'map', 'trend', 'ranking', 'pivot', 'breakdown']);

function panelHtml(p: PrintPanel, b: PrintBoard, w: Words, top: number): string {
  const { panel, data } = p;
  const names = data?.figures.map((f) => f.name) ?? [];
  const fallback =
    panel.kind === 'directive' && data?.directive ? data.directive.title : w.kinds[panel.kind];
  const title =
    panel.kind === 'text' ? (panel.title?.trim() ?? '') : panelTitle(panel, names, fallback);
  // A tile without a title of its own names its figure in its body, as on screen.
  const showTitle = title && !(panel.kind === 'tile' && !panel.title && !p.problem);
  const sub =
    data && !p.problem && DATA_KINDS.has(panel.kind)
      ? [data.unit?.name, data.periods.length ? periodsLabel(data.periods) : data.period?.label]
          .filter(Boolean)
          .join(' · ')
      : '';
  const g = panel.grid;
  const place = `grid-column:${g.x + 1} / span ${g.w};grid-row:${g.y - top + 1} / span ${g.h}`;
  return `<div class="cell" style="${place}"><section class="panel kind-${panel.kind}" data-panel="${e(panel.id)}">
${showTitle || sub ? `<header>${showTitle ? `<h2>${e(title)}</h2>` : ''}${sub && panel.kind !== 'tile' ? `<p class="sub">${e(sub)}${data ? ` · ${e(timeOf(data.asOf))}` : ''}</p>` : ''}</header>` : ''}
${bodyOf(p, b, w)}
</section></div>`;
}

/** A CSS string: quotes and backslashes escaped, and no `<` to close the style element. */
const cssString = (s: string) =>
  `"${s.replace(/[\\"<\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;

const css = (name: string) => `
@page { size: A4 landscape; margin: 10mm 10mm 12mm 10mm;
  @bottom-left { content: ${cssString(name)}; font: 8pt ${FONT}; color: #6b7280; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt ${FONT}; color: #6b7280; } }
* { box-sizing: border-box; }
html { font-family: ${FONT}; font-size: 9pt; color: #1f2937; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
.sheet { width: ${SHEET_WIDTH_PX}px; }
.board-head { margin: 0 0 8px; break-after: avoid; }
.board-head h1 { font-size: 16pt; margin: 0 0 2px; }
.board-head p { margin: 0; color: #4a5565; }
.band { display: grid; grid-template-columns: repeat(${GRID_COLUMNS}, minmax(0, 1fr)); gap: ${GAP_PX}px; margin-bottom: ${GAP_PX}px; break-inside: avoid; }
.band.flow { display: block; break-inside: auto; }
.band.flow > .cell { margin-bottom: ${GAP_PX}px; break-inside: avoid; }
.band.flow > .cell.alone { overflow: hidden; }
.band.flow > .cell.alone > .panel { transform-origin: top left; }
.cell { display: flex; min-width: 0; break-inside: avoid; }
.panel { flex: 1; min-width: 0; border: 1px solid #d5dbe3; border-radius: 4px; padding: ${PAD_PX}px; break-inside: avoid; }
.panel header { margin-bottom: 6px; }
.panel h2 { font-size: 11pt; margin: 0; }
.panel .sub { margin: 1px 0 0; color: #6b7280; font-size: 8pt; }
.muted { color: #6b7280; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; }
.tile { flex: 1 1 0; min-width: 0; }
.tile p { margin: 0 0 2px; }
.tile-name { font-weight: bold; }
.tile-value { font-size: 17pt; font-weight: bold; color: #111827; }
.tile-unit-word { font-size: 10pt; font-weight: normal; color: #4a5565; }
.tile-period { color: #6b7280; font-size: 8pt; }
.tile-change { font-size: 8pt; }
.tile-unit { margin: 4px 0; font-size: 9pt; }
.change-bad { color: #b91c1c; }
.change-good { color: #15803d; }
.change-neutral { color: #1d4ed8; }
.change-none { color: #6b7280; }
.caption { margin: 0 0 4px; color: #4a5565; }
table { border-collapse: collapse; }
.grid-table { width: 100%; font-size: 8.5pt; }
.grid-table th, .grid-table td { border-bottom: 1px solid #e3e8ef; padding: 2px 4px; text-align: left; white-space: nowrap; }
.grid-table thead th { border-bottom: 1.5px solid #9ca3af; vertical-align: bottom; }
.grid-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.pivot tbody th { font-weight: normal; }
.bars { width: 100%; }
.bars td { padding: 2px 4px; }
.bar-name { width: 35%; }
.bar-cell { width: 45%; }
.bar, .bar-track { display: inline-block; height: 10px; background: #0b57a4; vertical-align: middle; }
.bar-track { width: 40%; background: #e3e8ef; }
.bar-track .bar { display: block; }
/* Drawn for the panel's width on the board's grid: never wider (one under another, a panel is
   as wide as the page), narrower where the box is. */
.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 8pt; margin-top: 4px; }
.legend .key i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; border: 1px solid #c9ced6; vertical-align: -1px; }
.alerts { list-style: none; margin: 0; padding: 0; }
.alerts li { padding: 3px 0; border-bottom: 1px solid #e3e8ef; }
.alert-mark { color: #b45309; }
.counts { display: flex; gap: 12px; list-style: none; padding: 0; margin: 6px 0 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.problem { background: #fff7ed; border: 1px solid #fdba74; padding: 6px 8px; }
#page-probe { position: absolute; left: -10000px; top: 0; width: 1px; height: ${SHEET_HEIGHT_MM}mm; }
`;

/** The board's print page: its name, variables and time, then its panels in bands. */
export function boardHtml(b: PrintBoard): string {
  const w = WORDS[b.lang];
  const head = `<header class="board-head"><h1>${e(b.name)}</h1>
<p>${e(w.unit)}: <b>${e(b.unit)}</b> · ${e(w.period)}: <b>${e(b.period)}</b> · ${e(w.asOf)} ${e(formatDateTime(b.lang, b.asOf))}</p>
${b.description ? `<p class="muted">${e(b.description)}</p>` : ''}</header>`;
  const body = bands(b.panels)
    .map((band) => {
      const top = Math.min(...band.map((p) => p.panel.grid.y));
      return `<div class="band">${band.map((p) => panelHtml(p, b, w, top)).join('\n')}</div>`;
    })
    .join('\n');
  return `<!doctype html><html lang="${b.lang}"><head><meta charset="utf-8"><title>${e(b.name)}</title>
<style>${css(b.name)}</style></head>
<body><div id="page-probe"></div><main class="sheet">${head}${body}</main></body></html>`;
}
