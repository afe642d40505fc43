import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey, normalizePhone, phoneKey, windowOf } from './public-limits.ts';

describe('public limits: keys and windows', () => {
  it('writes one Vietnamese phone number one way, however it was typed', () => {
    for (const typed of [
      '0912345678',
      '0912 345 678',
      '091.234.5678',
      '+84 912 345 678',
      '+84912345678',
      '84912345678',
      '0084 912-345-678',
      '(+84) 912345678',
    ])
      assert.equal(normalizePhone(typed), '+84912345678', typed);
    assert.equal(normalizePhone('028 3829 6052'), '+842838296052'); // a landline
    assert.equal(normalizePhone('+1 (415) 555-0100'), '+14155550100');
    for (const bad of ['', 'abc', '12345', 'gọi tôi', '0912345678901234567'])
      assert.equal(normalizePhone(bad), undefined, bad);
    assert.equal(phoneKey('0912 345 678'), 'phone:+84912345678');
    assert.equal(phoneKey('none'), undefined);
    assert.equal(
      addressKey('2001:db8:1:2::/64', '/api/public/photos'),
      'addr:2001:db8:1:2::/64:/api/public/photos',
    );
  });

  it('puts an instant in the fixed window it falls in', () => {
    const w = windowOf(new Date('2026-12-07T08:59:59.999Z'), { limit: 1, windowSeconds: 3600 });
    assert.deepEqual(w, {
      start: new Date('2026-12-07T08:00:00Z'),
      end: new Date('2026-12-07T09:00:00Z'),
    });
    const m = windowOf(new Date('2026-12-07T09:00:00Z'), { limit: 1, windowSeconds: 60 });
    assert.equal(m.start.toISOString(), '2026-12-07T09:00:00.000Z');
  });
});
