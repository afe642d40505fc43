import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import {
  pdfPageCount,
  pdfPageSizes,
  pdfPages,
  pdfText,
  SKIP_DOCUMENTS,
} from '../test/documents.ts';
import type { Role } from '../domain/access.ts';
import { DEMO_MONTHLY_BOARD } from '../domain/board-shipped.ts';
import { loadDemoBoard } from '../jobs/demo-board.ts';
import { readDemoMetadata } from '../jobs/demo-data.ts';
import { formatNumber, formatValue } from '../domain/vn-format.ts';

/**
 * A board's PDF (issue 19), read back by poppler (pdftotext, pdfinfo): the demo's monthly board
 * printed on A4 landscape for the nation and for Hồ Chí Minh City, each panel on one page with
 * its figures, the same figures as its data route answers; a panel that cannot be shown prints
 * why. Pages rendered to test-artifacts/board-pdf-*.png to look at.
 */

// Monday 23 November 2026, 10:00 in Viet Nam: LAST_MONTH is 2026-10.
const NOW = new Date('2026-11-23T03:00:00Z');
const PW = 'Board-pdf-pw-12345';
const TREE = '2025';
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'cb48', role: 'officer', code: '48' },
];

/** 2025-10 … 2026-10: the months posted (the last one against the first, a year before). */
const MONTHS = Array.from({ length: 13 }, (_, i) => {
  const m = 9 + i; // 0-based month index from 2025-01
  return `${2025 + Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`;
});
const ELEMENTS = [
  'POSITIVE_CASES',
  'TESTS_DONE',
  'CASES_TRACED',
  'HEALTH_DECLARATIONS',
  'SPAM_REPORTS',
];
const value = (element: string, unit: string, month: string) =>
  (ELEMENTS.indexOf(element) + 1) * 1000 +
  ((Number(unit) * 7 + MONTHS.indexOf(month) * 13) % 500) * (element === 'TESTS_DONE' ? 20 : 1);

/** A PDF's pages as pdftotext reads them, whitespace runs as one space. */
async function pages(pdf: Uint8Array): Promise<string[]> {
  const count = await pdfPageCount(pdf);
  return (await pdfText(pdf))
    .split('\f')
    .slice(0, count)
    .map((t) => t.replace(/\s+/g, ' '));
}

for (const engine of testEngines()) {
  describe(`a board's PDF on ${engine}`, { skip: SKIP_DOCUMENTS }, () => {
    let t: TestDb;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let monthly = 0;
    /** Two wards of Hồ Chí Minh City, with values. */
    let wards: { code: string; name: string }[] = [];
    /** The other provinces' names: none on the city's paper. */
    let otherProvinces: string[] = [];

    before(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      t = await openTestDb(engine, { clock: () => NOW });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(t.services, USERS, PW, TREE, as);
      await t.services.metadata.apply('system', readDemoMetadata());
      await loadDemoBoard(t.services);
      const list = await admin.get('/api/boards?limit=100');
      monthly = list.json.items.find((b: { uid: string }) => b.uid === DEMO_MONTHLY_BOARD.uid).id;
      const children = await admin.get(`/api/orgunits/79/children?version=${TREE}&limit=2`);
      assert.equal(children.status, 200, children.text);
      wards = children.json.items.map((u: { code: string; name: string }) => ({
        code: u.code,
        name: u.name,
      }));
      // Another province's name, short and full, unless the city has a ward of that name
      // (Phường Phú Thọ is in Hồ Chí Minh City, Phú Thọ a province).
      const cityWards = await admin.get(`/api/orgunits/79/children?version=${TREE}&limit=500`);
      const own: string[] = cityWards.json.items.map((u: { name: string }) => u.name);
      const provinces = await admin.get(`/api/orgunits/VN/children?version=${TREE}&limit=100`);
      otherProvinces = provinces.json.items
        .filter((u: { code: string }) => u.code !== '79')
        .flatMap((u: { name: string; fullName: string }) => [u.name, u.fullName])
        .filter((name: string) => !own.some((w) => w.includes(name)));
      assert.ok(otherProvinces.length > 40, provinces.text);
      const dataValues = ELEMENTS.flatMap((element) =>
        ['01', '48', ...wards.map((w) => w.code)].flatMap((orgUnit) =>
          MONTHS.map((period) => ({
            dataElement: element,
            period,
            orgUnit,
            value: String(value(element, orgUnit, period)),
          })),
        ),
      );
      const imported = await admin.post('/api/data/import', { dataValues });
      assert.equal(imported.status, 200, imported.text);
    });
    after(() => t.close());

    it('the monthly board for the nation: A4 landscape, every panel on one page with its figures', async () => {
      const r = await api('admin').download(`/api/boards/${monthly}/pdf`);
      assert.equal(r.status, 200, new TextDecoder().decode(r.bytes).slice(0, 500));
      assert.equal(r.headers.get('content-type'), 'application/pdf');
      assert.equal(
        r.headers.get('content-disposition'),
        `attachment; filename="giao-ban-thang-2026-10.pdf"; filename*=UTF-8''Giao%20ban%20th%C3%A1ng%202026-10.pdf`,
      );
      await pdfPages(r.bytes, ARTIFACTS, `board-pdf-nation-${engine}`);
      for (const size of await pdfPageSizes(r.bytes)) {
        // A4 landscape: 297 × 210 mm, in points.
        assert.ok(Math.abs(size.width - 841.9) < 1 && Math.abs(size.height - 595.3) < 1, size.text);
      }
      const text = await pages(r.bytes);
      const all = text.join(' ');
      assert.ok(all.includes('Giao ban tháng'), 'the board’s name');
      assert.ok(all.includes('tháng 10/2026'), 'its period');
      assert.ok(all.includes('Quần đảo Hoàng Sa'), 'Hoàng Sa named on the map of the country');
      assert.ok(all.includes('Quần đảo Trường Sa'), 'Trường Sa named on the map of the country');

      const pageOf = (s: string) => {
        const on = text.flatMap((p, i) => (p.includes(s) ? [i] : []));
        assert.equal(on.length, 1, `“${s}” on one page: ${on.map((i) => i + 1).join(', ')}`);
        return text[on[0]!]!;
      };
      const data = async (panel: string) => {
        const d = await api('admin').get(`/api/boards/${monthly}/panels/${panel}/data`);
        assert.equal(d.status, 200, d.text);
        assert.equal(d.json.problem, null, d.text);
        return d.json;
      };
      // Each tile: its figure's name and its value, as the data route answers, on one page.
      const metadata = (await api('admin').get('/api/metadata')).json;
      const formatOf = (code: string) =>
        [...metadata.dataElements, ...metadata.indicators].find(
          (x: { code: string }) => x.code === code,
        );
      for (const panel of DEMO_MONTHLY_BOARD.panels.filter((p) => p.kind === 'tile')) {
        const d = await data(panel.id);
        const figure = d.figures[0];
        const v = d.cells[0].value as number;
        // As the screen's tile writes it (src/domain/vn-format.ts): its unit and decimals.
        const f = formatOf(figure.code);
        const shown = formatValue('vi', v, f.valueType === 'percentage' ? '%' : f.unit, {
          decimals: f.decimals,
          compact: true,
        }).split(' ')[0]!;
        assert.ok(
          // A name wraps in its narrow tile, its lines between the tiles beside it.
          text.some(
            (p) => p.includes(shown) && figure.name.split(' ').every((w: string) => p.includes(w)),
          ),
          `${figure.name}: ${shown} on one page`,
        );
      }
      // The titled panels: the title on one page, its first figure on that page.
      const ranking = await data('ranking');
      const top = [...ranking.cells].sort((a, b) => a.rank - b.rank)[0];
      const topName = ranking.units.find((u: { code: string }) => u.code === top.ou).name;
      const rankingPage = pageOf('Tin nhắn rác được báo cáo nhiều nhất');
      assert.ok(rankingPage.includes(`1 ${topName} ${formatNumber('vi', top.value)}`), topName);
      const pivot = await data('pivot');
      const pivotPage = pageOf('Ca dương tính theo địa bàn, sáu tháng');
      const firstRow = pivot.pivot.rowHeaders[0][0].label;
      assert.ok(pivotPage.includes(firstRow), firstRow);
      const firstValue = pivot.pivot.values[0].find((v: number | null) => v !== null);
      assert.ok(pivotPage.includes(formatNumber('vi', firstValue)), `${firstRow}: ${firstValue}`);
      const trend = await data('trend');
      const trendPage = pageOf('Ca dương tính và ca truy vết, 12 tháng');
      for (const f of trend.figures) assert.ok(trendPage.includes(f.name), f.name);
      assert.ok(trendPage.includes('10/2026'), 'the last month on its axis');
      const mapPage = pageOf('Tỷ lệ dương tính theo địa bàn');
      assert.ok(mapPage.includes('Chú giải'), 'the map’s legend on its page');
      assert.ok(mapPage.includes('Quần đảo Hoàng Sa'), 'the archipelagos on the map’s page');
      assert.ok(pageOf('Cảnh báo đang mở').includes('Không có cảnh báo nào đang mở'));
      assert.ok(pageOf('Ghi chú').includes('Số liệu demo.'));
      // Paper has no navigation.
      for (const word of ['Đăng xuất', 'Chia sẻ', 'Màn hình lớn', 'Tải xuống'])
        assert.ok(!all.includes(word), word);
    });

    it('the city’s leader gets her city’s board: its wards, no other province named', async () => {
      const r = await api('ld79').download(`/api/boards/${monthly}/pdf`);
      assert.equal(r.status, 200, new TextDecoder().decode(r.bytes).slice(0, 500));
      await pdfPages(r.bytes, ARTIFACTS, `board-pdf-city-${engine}`);
      const all = (await pages(r.bytes)).join(' ');
      const tile = await api('ld79').get(`/api/boards/${monthly}/panels/tile-positive_cases/data`);
      assert.equal(tile.json.unit.name, 'Hồ Chí Minh');
      assert.ok(all.includes('Đơn vị: Hồ Chí Minh'), 'her city, diacritics intact');
      for (const w of wards) assert.ok(all.includes(w.name), w.name);
      const sum = wards.reduce((s, w) => s + value('POSITIVE_CASES', w.code, '202610'), 0);
      assert.equal(tile.json.cells[0].value, sum);
      assert.ok(all.includes(formatNumber('vi', sum)), `her city's cases, ${sum}`);
      for (const name of otherProvinces) assert.ok(!all.includes(name), `no “${name}”`);
      assert.ok(!all.includes('Hoàng Sa'), 'no archipelago on a city’s map');
    });

    it('the board’s variables as the data routes take them; a bad one refused the same way', async () => {
      const sep = await api('admin').download(`/api/boards/${monthly}/pdf?period=202609&unit=48`);
      assert.equal(sep.status, 200);
      assert.match(
        sep.headers.get('content-disposition') ?? '',
        /filename="giao-ban-thang-2026-09\.pdf"/,
      );
      const all = (await pages(sep.bytes)).join(' ');
      assert.ok(all.includes('tháng 09/2026'), 'the period asked');
      assert.ok(all.includes('Đà Nẵng'), 'the unit asked');
      const bad = await api('admin').get(`/api/boards/${monthly}/pdf?period=thang-11`);
      const badData = await api('admin').get(
        `/api/boards/${monthly}/panels/tile-positive_cases/data?period=thang-11`,
      );
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.json.error.code, badData.json.error.code);
      assert.equal(bad.json.error.message, badData.json.error.message);
    });

    it('a board not there, or not the viewer’s, is not found alike; a panel’s problem is printed', async () => {
      const missing = await api('admin').get('/api/boards/987654/pdf');
      assert.equal(missing.status, 404, missing.text);
      const b = await api('ld79').post('/api/boards', {
        name: 'Bảng <i>thử</i> “in”',
        variables: { unit: 'my_unit', period: '202610' },
        panels: [
          {
            id: 'unknown',
            kind: 'tile',
            title: 'Chỉ tiêu không có',
            grid: { x: 0, y: 0, w: 6, h: 2 },
            figures: ['KHONG_CO_CHI_TIEU'],
          },
          {
            id: 'note',
            kind: 'text',
            title: 'Lời dặn',
            grid: { x: 6, y: 0, w: 6, h: 2 },
            options: { text: 'Xem <script>alert(1)</script> & <b>đậm</b>' },
          },
        ],
      });
      assert.equal(b.status, 201, b.text);
      const hidden = await api('cb48').get(`/api/boards/${b.json.id}/pdf`);
      assert.equal(hidden.status, 404, hidden.text);
      assert.equal(
        hidden.json.error.code,
        (await api('cb48').get(`/api/boards/${b.json.id}`)).json.error.code,
      );
      const r = await api('ld79').download(`/api/boards/${b.json.id}/pdf`);
      assert.equal(r.status, 200);
      await pdfPages(r.bytes, ARTIFACTS, `board-pdf-problem-${engine}`);
      const all = (await pages(r.bytes)).join(' ');
      assert.ok(all.includes('Bảng <i>thử</i> “in”'), 'the name as written, not markup');
      assert.ok(all.includes('Không hiển thị được ô này'), all);
      assert.ok(all.includes('Không có chỉ tiêu hoặc chỉ số "KHONG_CO_CHI_TIEU"'), all);
      assert.ok(all.includes('Xem <script>alert(1)</script> & <b>đậm</b>'), 'the text as text');
    });
  });
}
