import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { searchText, searchWords } from './text.ts';

describe('search text', () => {
  it('ignores diacritics and case: "ha noi", "HA NOI" and "Hà Nội" are the same', () => {
    assert.equal(searchText('Hà Nội'), 'ha noi');
    assert.equal(searchText('HA NOI'), 'ha noi');
    assert.equal(searchText('ha noi'), 'ha noi');
  });
  it('reads đ as d and treats both tone placements alike', () => {
    assert.equal(searchText('Đắk Lắk'), 'dak lak');
    assert.equal(searchText('Hòa Bình'), searchText('Hoà Bình'));
    assert.equal(searchText('Thủy'), searchText('Thuỷ'));
  });
  it('drops leading zeros so "Phường 01" is found as "phuong 1"', () => {
    assert.deepEqual(searchWords('Phường 01'), ['phuong', '1']);
  });
  it('splits on punctuation', () => {
    assert.deepEqual(searchWords('Bà Rịa - Vũng Tàu'), ['ba', 'ria', 'vung', 'tau']);
  });
});
