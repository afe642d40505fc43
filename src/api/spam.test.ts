import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { vnDate } from '../domain/dates.ts';
import { periodContaining } from '../domain/period.ts';
import { normalizeSpamNumber, SPAM_ELEMENTS } from '../domain/spam.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Action } from '../domain/access.ts';

/**
 * The 5656 spam line (issue 20): operators' gateways post reports with a token, the public page
 * posts one without an account, operators confirm blocks, the ministry reads the week's most
 * reported numbers, and the day's counts arrive in analytics at the nation.
 */

const PW = 'Spam-pw-1234567';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

const report = (extra: Record<string, unknown> = {}) => ({
  number: '0912 345 678',
  kind: 'sms',
  content: 'Chúc mừng bạn trúng thưởng 100 triệu, bấm vào liên kết để nhận',
  operator: 'viettel',
  reportedAt: minutesAgo(5),
  ...extra,
});

describe('spam numbers in one canonical form', () => {
  it('writes a Vietnamese number as 84 and its national digits, keeps short codes and names', () => {
    const n = (s: string) => {
      const r = normalizeSpamNumber(s);
      return r.ok ? r.number : `!${r.reason.en}`;
    };
    for (const s of [
      '0912345678',
      '+84912345678',
      '84912345678',
      '0912 345 678',
      '0912.345.678',
      '+84 (91) 234-5678',
      '0084912345678',
      '912345678',
    ])
      assert.equal(n(s), '84912345678', s);
    assert.equal(n('024 3825 1234'), '842438251234', 'a Hà Nội landline');
    assert.equal(n('5656'), '5656');
    assert.equal(n('19001234'), '19001234');
    assert.equal(n(' viettel '), 'VIETTEL');
    assert.equal(n('Shop  abc'), 'SHOP ABC');
    assert.equal(n('+1 202 555 0123'), '+12025550123');
    assert.match(n(''), /^!the number is missing/);
    assert.match(n('0123'), /^!a Vietnamese number has 10 or 11 digits/);
    assert.match(n('09123456789012'), /^!a Vietnamese number/);
    assert.match(n('Trúng thưởng'), /^!a sender name holds only/);
    assert.match(n('12'), /^!not a phone number/);
  });
});

for (const engine of testEngines()) {
  describe(`the 5656 spam line on ${engine}`, () => {
    let t: TestDb;
    const as = new Map<string, ApiClient>();
    let gateway: ApiClient;
    let gateway2: ApiClient;
    let operator: ApiClient;
    let noPermission: ApiClient;
    const anonymous = () => ApiClient.for(t.services);

    const n = async (query: string) =>
      (await sql<{ n: number }>`${sql.raw(query)}`.execute(t.database.db)).rows[0]!.n;
    const reports = () => n('select count(*)::int as n from spam_report');

    const tokenClient = async (name: string, permissions: Action[]) => {
      const { token } = await t.services.auth.createToken('system', {
        name,
        scope: { version: '2025', code: 'VN' },
        permissions,
      });
      return ApiClient.for(t.services, { authorization: `Bearer ${token}` });
    };

    before(async () => {
      t = await openTestDb(engine);
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(
        t.services,
        [
          { username: 'ld-vn', role: 'leader', code: 'VN' },
          { username: 'ld79', role: 'leader', code: '79' },
        ],
        PW,
        '2025',
        as,
      );
      gateway = await tokenClient('viettel-gateway', ['spam.report']);
      gateway2 = await tokenClient('mobifone-gateway', ['spam.report']);
      operator = await tokenClient('viettel-blocks', ['spam.block']);
      noPermission = await tokenClient('reader', ['data.read', 'data.write']);
    });
    after(() => t.close());

    it('takes a batch, keeps its good items and names what is wrong with the others', async () => {
      const before = await reports();
      const audits = await n(
        "select count(*)::int as n from audit_event where action = 'spam_report.import'",
      );
      const r = await gateway.post('/api/spamReports', {
        reports: [
          report({ externalId: 'vt-1' }),
          report({ number: '5656abc!', externalId: 'vt-2' }),
          report({ kind: 'call', content: '', number: '+84 24 3825 1234', externalId: 'vt-3' }),
          report({
            reportedAt: new Date(Date.now() + 3_600_000).toISOString(),
            operator: 'sfone',
            externalId: 'vt-4',
          }),
          report({ content: 'x'.repeat(2001), externalId: 'vt-5' }),
          report({ number: 'VIETTEL', kind: 'sms', content: '', externalId: 'vt-6' }),
          report({ reportedAt: minutesAgo(31 * 24 * 60), externalId: 'vt-7' }),
          report({ colour: 'red', externalId: 'vt-8' }),
          report({ number: 'VIETTEL', externalId: 'vt-9' }),
        ],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'WARNING');
      assert.deepEqual(
        [r.json.received, r.json.accepted, r.json.duplicates, r.json.rejected],
        [9, 3, 0, 6],
      );
      const at = (i: number) => r.json.results[i];
      assert.equal(at(0).status, 'accepted');
      assert.equal(at(0).number, '84912345678');
      assert.equal(at(0).externalId, 'vt-1');
      assert.ok(at(0).id > 0);
      assert.equal(at(2).number, '842438251234', 'a call needs no content');
      assert.equal(at(8).number, 'VIETTEL');
      const fields = (i: number) => at(i).reasons.map((x: { field: string }) => x.field);
      assert.deepEqual(fields(1), ['number']);
      assert.deepEqual(fields(3), ['operator', 'reportedAt'], 'every problem at once');
      assert.match(at(3).reasons[1].vi, /tương lai/);
      assert.match(at(3).reasons[1].en, /in the future/);
      assert.match(at(4).reasons[0].en, /at most 2,000 characters \(got 2,001\)/);
      assert.match(at(5).reasons[0].vi, /tin nhắn rác cần có nội dung/);
      assert.match(at(6).reasons[0].en, /last 30 days/);
      assert.match(at(7).reasons[0].en, /unknown field: colour/);
      assert.equal(await reports(), before + 3);
      assert.equal(
        await n("select count(*)::int as n from audit_event where action = 'spam_report.import'"),
        audits + 1,
        'one audit row for the batch',
      );
      // Every item rejected: 409, nothing stored, nothing audited.
      const bad = await gateway.post('/api/spamReports', report({ kind: 'fax' }));
      assert.equal(bad.status, 409, bad.text);
      assert.equal(bad.json.status, 'ERROR');
      assert.equal(bad.json.results[0].reasons[0].field, 'kind');
      assert.equal(await reports(), before + 3);
      // A batch over 1,000 is refused whole.
      const big = await gateway.post('/api/spamReports', {
        reports: Array.from({ length: 1001 }, () => report()),
      });
      assert.equal(big.status, 400, big.text);
      assert.equal(big.json.error.code, 'validation_failed');
    });

    it('answers a batch sent again as duplicates, counting each report once', async () => {
      const batch = {
        reports: [
          report({ number: '0987 000 111', externalId: 'retry-1' }),
          report({ number: '0987 000 222', externalId: 'retry-2' }),
          report({ number: '0987 000 222', externalId: 'retry-2' }),
        ],
      };
      const first = await gateway.post('/api/spamReports', batch);
      assert.equal(first.status, 200, first.text);
      assert.deepEqual([first.json.accepted, first.json.duplicates], [2, 1]);
      assert.equal(first.json.results[2].status, 'duplicate', 'twice in one request');
      const count = await reports();
      const again = await gateway.post('/api/spamReports', batch);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.status, 'OK');
      assert.deepEqual([again.json.accepted, again.json.duplicates], [0, 3]);
      assert.equal(await reports(), count, 'nothing stored twice');
      // Another gateway's ids are its own.
      const other = await gateway2.post('/api/spamReports', batch);
      assert.equal(other.json.accepted, 2);
    });

    it('refuses a caller without spam.report, storing nothing', async () => {
      const count = await reports();
      for (const c of [noPermission, operator, as.get('ld-vn')!, anonymous()]) {
        const r = await c.post('/api/spamReports', { reports: [report()] });
        assert.ok([401, 403].includes(r.status), r.text);
      }
      const r = await noPermission.post('/api/spamReports', report());
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'forbidden');
      assert.equal(await reports(), count);
    });

    it('takes one report from the public page without an account and refuses bad ones', async () => {
      const count = await reports();
      const ok = await anonymous().post(
        '/api/public/spamReports',
        report({ number: '+84 333 444 555', kind: 'call', content: '' }),
      );
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.json.number, '84333444555');
      assert.equal(await reports(), count + 1);
      const stored = await sql<{
        source: string;
        client_hash: string | null;
        token_id: string | null;
      }>`
        select source, client_hash, token_id from spam_report where id = ${ok.json.id}`.execute(
        t.database.db,
      );
      assert.equal(stored.rows[0]!.source, 'web');
      assert.match(stored.rows[0]!.client_hash!, /^[0-9a-f]{64}$/, 'the address only as a hash');
      // Keyed by this installation's secret: hashing every address does not find it.
      const plain = createHash('sha256').update('spam-client:unknown').digest('hex');
      assert.notEqual(stored.rows[0]!.client_hash, plain);
      const key = await t.services.store.repos.instanceSecrets.get('pseudonym');
      assert.match(key, /^[0-9a-f]{64}$/);
      assert.equal(
        stored.rows[0]!.client_hash,
        createHmac('sha256', key).update('spam-client:unknown').digest('hex'),
      );
      const bad = await anonymous().post(
        '/api/public/spamReports',
        report({ number: 'abc$%', operator: 'nobody', externalId: 'x' }),
      );
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.json.error.code, 'validation_failed');
      assert.match(bad.json.error.messages.vi, /^Phản ánh không hợp lệ/);
      assert.deepEqual(
        bad.json.error.details.problems.map((p: { field: string }) => p.field).sort(),
        ['externalId', 'number', 'operator'],
      );
      const empty = await anonymous().post('/api/public/spamReports', report({ content: '   ' }));
      assert.equal(empty.status, 400);
      assert.equal((await anonymous().post('/api/public/spamReports', [report()])).status, 400);
      assert.equal(await reports(), count + 1, 'nothing stored from the bad ones');
    });

    it('lists the week’s most reported numbers with the blocks operators confirmed', async () => {
      const spammer = '0977 123 456';
      await gateway.post('/api/spamReports', {
        reports: Array.from({ length: 5 }, (_, i) =>
          report({ number: spammer, externalId: `top-${i}`, reporter: `09010000${10 + i}` }),
        ),
      });
      await gateway2.post(
        '/api/spamReports',
        report({ number: spammer, operator: 'mobifone', kind: 'call', content: '' }),
      );
      const blocks = await operator.post('/api/spamReports/blocks', {
        operator: 'viettel',
        numbers: ['84977123456', '+84977123456', 'not a number!'],
      });
      assert.equal(blocks.status, 200, blocks.text);
      assert.deepEqual([blocks.json.blocked, blocks.json.already], [1, 0]);
      assert.equal(blocks.json.rejected[0].index, 2);
      const again = await operator.post('/api/spamReports/blocks', {
        operator: 'viettel',
        numbers: ['0977123456'],
      });
      assert.deepEqual([again.json.blocked, again.json.already], [0, 1]);
      assert.equal(
        (await gateway.post('/api/spamReports/blocks', { operator: 'viettel', numbers: ['5656'] }))
          .status,
        403,
        'a reporting token does not confirm blocks',
      );

      const week = periodContaining(vnDate(new Date()), 'week').id;
      const top = await as.get('ld-vn')!.get(`/api/spamReports/top?week=${week}&limit=3`);
      assert.equal(top.status, 200, top.text);
      assert.equal(top.json.week, week);
      const first = top.json.items[0];
      assert.equal(first.rank, 1);
      assert.equal(first.number, '84977123456');
      assert.deepEqual([first.reports, first.sms, first.calls], [6, 5, 1]);
      assert.equal(first.reporters, 6, 'five reporters by number, one gateway');
      assert.equal(first.operators, 2);
      assert.equal(first.blocked, true);
      assert.deepEqual(first.blockedBy, ['viettel']);
      assert.equal(top.json.items.length, 3);
      assert.equal(top.json.totalReports, await reports());
      const csv = await as.get('ld-vn')!.download(`/api/spamReports/top?week=${week}&format=csv`);
      assert.equal(csv.status, 200);
      const lines = new TextDecoder().decode(csv.bytes).trim().split('\r\n');
      assert.match(lines[0]!, /^rank,number,reports/);
      assert.match(lines[1]!, /^1,84977123456,6,5,1,6,2,/);
      // An earlier week holds nothing; the list is the nation's.
      const empty = await as.get('ld-vn')!.get('/api/spamReports/top?week=2020-W01');
      assert.deepEqual([empty.json.items, empty.json.totalReports], [[], 0]);
      assert.equal((await as.get('ld79')!.get('/api/spamReports/top')).status, 403);
      assert.equal((await as.get('ld-vn')!.get('/api/spamReports/top?week=2026-W60')).status, 400);
    });

    it('counts the day as data values at the nation, which analytics rolls up', async () => {
      await t.services.spam.countNow();
      assert.equal(await n('select count(*)::int as n from spam_count_due'), 0, 'nothing left due');
      const day = vnDate(new Date());
      const expected = await sql<{ reports: number; numbers: number }>`
        select count(*)::int as reports, count(distinct number)::int as numbers
        from spam_report where received_day = ${day}::date`.execute(t.database.db);
      const want = expected.rows[0]!;
      assert.ok(want.reports > 10);
      const leader = as.get('ld-vn')!;
      const q = async (pe: string) => {
        const r = await leader.get(
          `/api/analytics/query?dx=${Object.values(SPAM_ELEMENTS).join(',')}&pe=${pe}&ou=VN`,
        );
        assert.equal(r.status, 200, r.text);
        const v = (code: string) =>
          r.json.items.find((i: { dx?: string; element?: string; code?: string }) =>
            [i.dx, i.element, i.code].includes(code),
          )?.value;
        return [v(SPAM_ELEMENTS.reports), v(SPAM_ELEMENTS.numbers), v(SPAM_ELEMENTS.blocked)];
      };
      assert.deepEqual(await q(day), [want.reports, want.numbers, 1]);
      // The week sums its days.
      const week = periodContaining(day, 'week').id;
      assert.deepEqual(await q(week), [want.reports, want.numbers, 1]);
      // A report later: the count follows (the job computes the day again, not adds).
      await anonymous().post('/api/public/spamReports', report({ number: '0366 000 999' }));
      await t.services.spam.countNow();
      assert.deepEqual(await q(day), [want.reports + 1, want.numbers + 1, 1]);
      // The elements are in the sector "an toàn thông tin".
      const el = await sql<{ sector: string }>`
        select sector from data_element where code = ${SPAM_ELEMENTS.reports}`.execute(
        t.database.db,
      );
      assert.equal(el.rows[0]!.sector, 'security');
    });

    it('leaves the counts due when the job does not run, and computes them later', async () => {
      // As after a crash between the intake's commit and the job: the mark stays in the table.
      await t.database.db
        .insertInto('spam_count_due')
        .values({ day: vnDate(new Date()) })
        .execute();
      assert.equal(await n('select count(*)::int as n from spam_count_due'), 1);
      await t.services.spam.countNow();
      assert.equal(await n('select count(*)::int as n from spam_count_due'), 0);
    });
  });
}
