import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { carriedText, sharePercent } from './carried.ts';
import type { Cell } from './data.ts';
import { overviewText, type OverviewT } from './messages.ts';
import type { Place } from './place.ts';
import { buildRegions } from './regions.ts';

const vi: OverviewT = (k, p) => overviewText('vi', k, p);
const en: OverviewT = (k, p) => overviewText('en', k, p);

describe('the mark of a figure carried across the reform', () => {
  it('says an exact carry in words, with the tree as written (not 2.022)', () => {
    const c = carriedText('vi', vi, { from: ['2022'], exact: true, estimatedShare: 0 });
    assert.equal(c.label, 'Quy đổi từ cây 2022');
    assert.equal(c.short, '⇄ 2022');
    assert.match(c.title, /cây 2022.*chính xác/);
    const e = carriedText('en', en, { from: ['2022'], exact: true, estimatedShare: 0 });
    assert.equal(e.label, 'Carried from the 2022 tree');
    const many = carriedText('vi', vi, {
      from: ['2022', '2025-03'],
      exact: true,
      estimatedShare: 0,
    });
    assert.equal(many.label, 'Quy đổi từ các cây 2022 và 2025-03');
  });

  it('gives the share of an estimated figure that came through weights', () => {
    const c = carriedText('vi', vi, { from: ['2025-03'], exact: false, estimatedShare: 0.35 });
    assert.equal(c.exact, false);
    assert.equal(c.label, 'Ước tính theo tỷ lệ · 35%');
    assert.equal(c.short, '≈ 35%');
    assert.match(c.title, /^35% giá trị này là ước tính/);
    const e = carriedText('en', en, { from: ['2025-03'], exact: false, estimatedShare: 0.35 });
    assert.equal(e.label, 'Estimated by shares · 35%');
  });

  it('says when a figure may miss values placed only within a province', () => {
    const c = carriedText('vi', vi, { from: ['2022'], exact: true, estimatedShare: 0, gap: true });
    assert.equal(c.label, 'Quy đổi từ cây 2022 · có thể thiếu');
    assert.match(c.title, /chính xác\. Có thể thiếu một phần/);
  });

  it('never rounds a little estimation to none, or most of it to all', () => {
    assert.equal(sharePercent('vi', 0.004), '<1%');
    assert.equal(sharePercent('vi', 0.996), '>99%');
    assert.equal(sharePercent('vi', 1), '100%');
    assert.equal(sharePercent('en', 0.255), '26%');
  });
});

describe('the map and the ranking of carried figures', () => {
  it('say it in the tooltip of the unit and keep it on its ranking row', () => {
    const unit = (code: string, name: string) => ({ code, name, fullName: `Tỉnh ${name}` });
    const place = {
      unit: { ...unit('VN', 'Việt Nam'), level: 0, path: '/VN/' },
      frame: { ...unit('VN', 'Việt Nam'), level: 0, path: '/VN/' },
      children: [unit('08', 'Tuyên Quang'), unit('01', 'Hà Nội')],
    } as unknown as Place;
    const cell = (ou: string, value: number, carried?: Cell['carried']): Cell => ({
      dx: 'X',
      pe: '2024-01',
      ou,
      version: '2025',
      value,
      carried,
    });
    const m = buildRegions({
      lang: 'vi',
      t: vi,
      place,
      features: undefined,
      cells: [cell('08', 400, { from: ['2022'], exact: true, estimatedShare: 0 }), cell('01', 7)],
      item: undefined,
      alerts: [],
      version: '2025',
      allMode: false,
      frameInScope: true,
      dark: false,
      provinceNames: new Map(),
    });
    const tq = m.regions.find((r) => r.code === '08')!;
    assert.equal(tq.tooltip.at(-1), '⇄ Quy đổi từ cây 2022');
    const hn = m.regions.find((r) => r.code === '01')!;
    assert.ok(!hn.tooltip.some((l) => l.includes('Quy đổi')), hn.tooltip.join(' | '));
    assert.equal(m.rows[0]!.code, '08');
    assert.equal(m.rows[0]!.cell?.carried?.exact, true);
  });
});
