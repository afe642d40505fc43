import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatChange,
  formatCompact,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatPeriod,
  formatPeriodShort,
  formatValue,
  unitLabel,
} from './vn-format.ts';

describe('Vietnamese number forms', () => {
  it('writes numbers with a dot between thousands and a comma before decimals', () => {
    assert.equal(formatNumber('vi', 1383), '1.383');
    assert.equal(formatNumber('vi', 91.32), '91,32');
    assert.equal(formatNumber('vi', 11496), '11.496');
    assert.equal(formatNumber('vi', 1234567.89), '1.234.568');
    assert.equal(formatNumber('vi', 0), '0');
    assert.equal(formatNumber('vi', -0.0001), '0');
    assert.equal(formatNumber('vi', 91.3, { fixed: 2 }), '91,30');
    assert.equal(formatNumber('en', 1383), '1,383');
    assert.equal(formatNumber('en', 91.32), '91.32');
    assert.equal(formatNumber('vi', Number.NaN), '–');
  });

  it('writes large counts with triệu and tỷ, smaller ones in full', () => {
    assert.equal(formatCompact('vi', 91_320_000), '91,32 triệu');
    assert.equal(formatCompact('vi', 8_400_000_000), '8,4 tỷ');
    assert.equal(formatCompact('vi', 250_000), '250.000');
    assert.equal(formatCompact('vi', 123_456_789_000), '123 tỷ');
    assert.equal(formatCompact('en', 91_320_000), '91.32 million');
  });

  it('adds the unit and does not scale a unit that already has its magnitude', () => {
    assert.equal(formatValue('vi', 11496, 'tỷ đồng'), '11.496 tỷ đồng');
    assert.equal(formatValue('vi', 91.32, 'triệu thuê bao'), '91,32 triệu thuê bao');
    assert.equal(formatValue('vi', 1383, 'sự cố'), '1.383 sự cố');
    assert.equal(formatValue('vi', 8_412_345, 'lượt'), '8,41 triệu lượt');
    assert.equal(formatValue('vi', 8_412_345, 'lượt', { compact: false }), '8.412.345 lượt');
    assert.equal(formatValue('vi', 14.123, '%'), '14,1%');
    assert.equal(formatValue('vi', null, 'ca'), '–');
    assert.equal(formatValue('en', 11496, 'tỷ đồng'), '11,496 billion VND');
    assert.equal(formatValue('en', 8_412_345, 'lượt'), '8.41 million');
    assert.equal(unitLabel('en', 'đơn vị lạ'), 'đơn vị lạ');
  });

  it('writes percentages and signed changes with arrows and words', () => {
    assert.equal(formatPercent('vi', 14.1), '14,1%');
    assert.deepEqual(formatChange('vi', 14.14), {
      direction: 'up',
      arrow: '▲',
      text: '▲ 14,1%',
      judgement: 'neutral',
      verdict: '',
      move: 'tăng 14,1%',
      words: 'tăng 14,1%',
    });
    const down = formatChange('vi', -2.345);
    assert.equal(down.text, '▼ 2,3%');
    assert.equal(down.words, 'giảm 2,3%');
    assert.equal(formatChange('vi', 0.01).direction, 'flat');
    assert.equal(formatChange('en', -2.3).words, 'down 2.3%');
  });

  it('says whether a change is good or bad news by what a rise in the figure means', () => {
    // More positive cases: the arrow still says up, the words and the colour say worse.
    const cases = formatChange('vi', 14.14, 1, 'rise_bad');
    assert.equal(cases.text, '▲ 14,1%');
    assert.equal(cases.judgement, 'bad');
    assert.equal(cases.verdict, 'xấu');
    assert.equal(cases.words, 'tăng 14,1%, xấu');
    assert.equal(formatChange('en', -3, 1, 'rise_bad').words, 'down 3%, better');
    assert.equal(formatChange('en', 3, 1, 'rise_good').words, 'up 3%, better');
    assert.equal(formatChange('vi', -3, 1, 'rise_good').verdict, 'xấu');
    // A change that rounds to nothing, or a neutral figure: no verdict.
    assert.equal(formatChange('vi', 0.01, 1, 'rise_bad').judgement, 'neutral');
    assert.equal(formatChange('vi', 5, 1, 'neutral').words, 'tăng 5%');
  });

  it('writes dates dd/mm/yyyy, times in Viet Nam, and periods as documents do', () => {
    assert.equal(formatDate('vi', '2022-01-20'), '20/01/2022');
    assert.equal(formatDate('en', '2022-01-20'), '20 Jan 2022');
    assert.equal(formatDateTime('vi', '2022-01-20T03:05:00Z'), '10:05 20/01/2022');
    assert.equal(formatDateTime('vi', '2022-01-20T20:00:00Z'), '03:00 21/01/2022');
    assert.equal(formatPeriod('vi', '2022-01'), 'tháng 01/2022');
    assert.equal(formatPeriod('vi', '202201'), 'tháng 01/2022');
    assert.equal(formatPeriod('vi', '2022-Q1'), 'quý I/2022');
    assert.equal(formatPeriod('vi', '2026-11-16/2026-11-22'), 'từ 16/11/2026 đến 22/11/2026');
    assert.equal(formatPeriod('en', '2022-01'), 'January 2022');
    assert.equal(formatPeriod('vi', 'không phải kỳ'), 'không phải kỳ');
    assert.equal(formatPeriodShort('vi', '2026-11-20'), '20/11');
    assert.equal(formatPeriodShort('vi', '2022-01'), '01/2022');
    assert.equal(formatPeriodShort('en', '2026-11-20'), '20 Nov');
    assert.equal(formatPeriodShort('en', '2022-01'), 'Jan 2022');
  });
});
