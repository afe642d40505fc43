import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRACKING_ALPHABET,
  TRACKING_CODE,
  assertReportAction,
  infoPending,
  normalizeEmail,
  normalizePhone,
  normalizeTrackingCode,
  publicEvent,
  reportDeadlines,
  statusAfter,
  trackingCodeFrom,
} from './citizen-report.ts';
import { AppError } from './errors.ts';
import {
  VN_CIVIL_SERVICE_DAYS_OFF_2026,
  VN_CIVIL_SERVICE_WEEK,
  workingCalendar,
} from './working-time.ts';

/** Viet Nam's wall clock (UTC+7) as an instant. */
const vn = (s: string) => new Date(`${s}+07:00`);

describe("citizens' reports: the rules", () => {
  it('draws tracking codes from an alphabet with no look-alike characters', () => {
    assert.ok(!/[01OIL]/.test(TRACKING_ALPHABET));
    const code = trackingCodeFrom(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]));
    assert.equal(code, 'PA-2345-6789');
    assert.match(code ?? '', TRACKING_CODE);
    // Bytes that would make some characters likelier are skipped; too few give none.
    assert.equal(trackingCodeFrom(new Uint8Array([255, 250, 248, 0, 1, 2, 3, 4, 5, 6])), undefined);
    assert.equal(trackingCodeFrom(new Uint8Array([255, 0, 1, 2, 3, 4, 5, 6, 30])), 'PA-2345-678Z');
  });

  it('reads a code as a citizen types it', () => {
    assert.equal(normalizeTrackingCode('pa-7kq2-m9xd'), 'PA-7KQ2-M9XD');
    assert.equal(normalizeTrackingCode(' 7KQ2 M9XD '), 'PA-7KQ2-M9XD');
    assert.equal(normalizeTrackingCode('PA7KQ2M9XD'), 'PA-7KQ2-M9XD');
    assert.equal(normalizeTrackingCode('PA-7KQ2-M9X0'), undefined);
    assert.equal(normalizeTrackingCode('PA-7KQ2'), undefined);
    assert.equal(normalizeTrackingCode(''), undefined);
  });

  it('takes Vietnamese phone numbers in the forms people write them', () => {
    for (const s of ['0912345678', '+84912345678', '84912345678', '0912 345 678', '0912.345.678'])
      assert.equal(normalizePhone(s), '0912345678', s);
    assert.equal(normalizePhone('02438251234'), '02438251234'); // a Hà Nội landline
    for (const s of ['091234567', '09123456789', '0112345678', '+1 202 555 0100', 'abc', ''])
      assert.equal(normalizePhone(s), undefined, s);
  });

  it('takes email addresses and refuses what is not one', () => {
    assert.equal(normalizeEmail(' Dan@Example.VN '), 'Dan@example.vn');
    for (const s of ['dan', 'dan@', '@example.vn', 'dan@example', 'a b@example.vn'])
      assert.equal(normalizeEmail(s), undefined, s);
  });

  it('moves a report only as its status allows, with clear messages', () => {
    assert.doesNotThrow(() => assertReportAction('received', 'acknowledge'));
    assert.equal(statusAfter('received', 'acknowledge'), 'in_progress');
    assert.equal(statusAfter('in_progress', 'request_info'), 'in_progress');
    assert.equal(statusAfter('in_progress', 'transfer'), 'forwarded');
    const refused = (
      s: Parameters<typeof assertReportAction>[0],
      a: Parameters<typeof assertReportAction>[1],
    ) => {
      try {
        assertReportAction(s, a);
      } catch (e) {
        assert.ok(e instanceof AppError);
        assert.equal(e.code, 'invalid_transition');
        return e.messages;
      }
      assert.fail(`${a} from ${s} was allowed`);
    };
    assert.match(refused('received', 'answer').vi, /Cần tiếp nhận phản ánh trước/);
    assert.match(refused('received', 'answer').en, /Acknowledge the report first/);
    refused('refused', 'reopen');
    refused('in_progress', 'rate');
    refused('closed', 'transfer');
  });

  it('knows when a question waits for the citizen', () => {
    assert.equal(infoPending('in_progress', ['received', 'acknowledged', 'info_requested']), true);
    assert.equal(
      infoPending('in_progress', ['received', 'acknowledged', 'info_requested', 'info_added']),
      false,
    );
    assert.equal(infoPending('in_progress', ['received', 'acknowledged']), false);
    assert.equal(infoPending('answered', ['acknowledged', 'info_requested', 'answered']), false);
  });

  it('counts deadlines in working time, past weekends and holidays', () => {
    const cal = workingCalendar({ week: VN_CIVIL_SERVICE_WEEK, ...VN_CIVIL_SERVICE_DAYS_OFF_2026 });
    // Friday 16:00 with 8 working hours: the next Monday 16:00.
    const friday = reportDeadlines(cal, vn('2026-11-20T16:00:00'), {
      acknowledgeWithin: { hours: 8 },
      answerWithin: { days: 5 },
    });
    assert.equal(friday.acknowledgeDue.toISOString(), vn('2026-11-23T16:00:00').toISOString());
    assert.equal(friday.answerDue.toISOString(), vn('2026-11-27T17:00:00').toISOString());
    // Friday 28 August 2026 16:00: 29 August to 2 September are off (National Day).
    const nationalDay = reportDeadlines(cal, vn('2026-08-28T16:00:00'), {
      acknowledgeWithin: { hours: 8 },
      answerWithin: { days: 1 },
    });
    assert.equal(nationalDay.acknowledgeDue.toISOString(), vn('2026-09-03T16:00:00').toISOString());
    assert.equal(nationalDay.answerDue.toISOString(), vn('2026-09-03T17:00:00').toISOString());
  });

  it('gives the public an event without who acted nor the internal note', () => {
    const e = publicEvent({
      id: 1,
      at: new Date('2026-11-23T03:00:00Z'),
      kind: 'forwarded',
      status: 'forwarded',
      public_note: 'Thuộc thẩm quyền phường bên cạnh',
      internal_note: 'Chị Lan gọi điện xác nhận',
      from_unit_code: '26740',
      from_unit_name: 'Sài Gòn',
      to_unit_code: '25747',
      to_unit_name: 'Bến Thành',
      actor_name: 'Nguyễn Văn An',
    });
    assert.deepEqual(e, {
      kind: 'forwarded',
      status: 'forwarded',
      at: '2026-11-23T03:00:00.000Z',
      note: 'Thuộc thẩm quyền phường bên cạnh',
      fromUnit: { code: '26740', name: 'Sài Gòn' },
      toUnit: { code: '25747', name: 'Bến Thành' },
    });
  });
});
