import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';

/**
 * The directive list (issue 19): whose side issued it, its status, its due date, words of its
 * text, a page at a time — and none of it ever shows a directive the caller may not see.
 */

const PW = 'Directive-list-pw-123';
/** Monday 23/11/2026, 09:00 in Viet Nam: the tests move this clock, never the machine's. */
const START = new Date('2026-11-23T02:00:00Z');
const DAY = 86_400_000;

const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'lanhdao', role: 'leader', code: 'VN' },
  { username: 'ld79', role: 'leader', code: '79' }, // Hồ Chí Minh
  { username: 'xa26740', role: 'officer', code: '26740' }, // Bến Nghé, in Hồ Chí Minh
  { username: 'ld01', role: 'leader', code: '01' }, // Hà Nội: another province
  { username: 'xa00004', role: 'officer', code: '00004' }, // a ward of Hà Nội
];

interface Item {
  id: number;
  title: string;
  relation: 'issued' | 'received';
  status: 'open' | 'overdue' | 'done';
  dueDate: string;
  progress: { total: number; done: number; overdue: number };
}

for (const engine of testEngines()) {
  describe(`the directive list's filters, search and pages on ${engine}`, () => {
    let t: TestDb;
    let now = START;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    /** Ids by a short name. */
    const ids = new Map<string, number>();
    const id = (name: string) => ids.get(name)!;

    const list = async (user: string, query = '') => {
      const r = await api(user).get(`/api/directives?limit=500${query ? '&' + query : ''}`);
      assert.equal(r.status, 200, r.text);
      return r.json as { items: Item[]; total: number; offset: number; limit: number };
    };
    const names = async (user: string, query = '') => {
      const byId = new Map([...ids].map(([k, v]) => [v, k]));
      return (await list(user, query)).items.map((i) => byId.get(i.id) ?? `#${i.id}`);
    };

    const issue = async (
      user: string,
      name: string,
      title: string,
      units: string[],
      dueDate: string,
      body = 'Các đơn vị triển khai và báo cáo kết quả.',
    ) => {
      const r = await api(user).post('/api/directives', {
        title,
        body,
        dueDate,
        target: { kind: 'units', version: '2025', units },
      });
      assert.equal(r.status, 201, r.text);
      ids.set(name, r.json.directive.id);
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now, auth: { sessionHours: 24 * 60 } });
      await signInUsers(t.services, USERS, PW, '2025', as);
      // Oldest first: the list answers newest first.
      await issue(
        'lanhdao',
        'storm',
        'Chỉ thị về phòng, chống bão số 3',
        ['79', '01'],
        '2026-12-31',
      );
      await issue('ld79', 'soon', 'Rà soát hộ nghèo', ['26740', '26737'], '2026-11-24');
      await issue('ld79', 'done', 'Báo cáo tiêm chủng', ['26740'], '2026-12-15');
      await issue('ld79', 'pct', 'Giảm 50% thủ tục_giấy tờ', ['26743'], '2026-12-20');
      await issue(
        'ld79',
        'body',
        'Kế hoạch tháng 12',
        ['26737'],
        '2027-01-31',
        'Triển khai CHỈ THỊ số 12 của Thành ủy về đô thị.',
      );
      for (let i = 1; i <= 7; i++)
        await issue('ld79', `n${i}`, `Nhiệm vụ thường xuyên ${i}`, ['26737'], '2027-02-28');
      await issue('ld01', 'hanoi', 'Chỉ thị riêng của Hà Nội', ['00004'], '2026-11-25');
      // Bến Nghé finishes its one task of `done`.
      const inbox = await api('xa26740').get('/api/inbox');
      const task = inbox.json.items.find(
        (x: { directiveId: number }) => x.directiveId === id('done'),
      );
      for (const status of ['acknowledged', 'in_progress', 'done']) {
        const r = await api('xa26740').post(`/api/tasks/${task.id}/status`, { status });
        assert.equal(r.status, 200, r.text);
      }
      // Two days on: `soon` (due 24/11) is late, `hanoi` (25/11) not yet.
      now = new Date(START.getTime() + 2 * DAY);
    });
    after(() => t.close());

    it('keeps the old list as it was: everything seen, newest first; `issued=true` still works', async () => {
      const all = await list('ld79');
      assert.equal(all.total, 12);
      assert.equal(all.items.length, 12);
      assert.deepEqual(
        all.items.map((i) => i.id),
        [...all.items.map((i) => i.id)].sort((a, b) => b - a),
      );
      assert.deepEqual(await names('ld79', 'issued=true'), await names('ld79', 'relation=issued'));
      assert.ok(!(await names('ld79', 'issued=true')).includes('storm'));
    });

    it('tells what my side issued from what was sent to it', async () => {
      const issued = await list('ld79', 'relation=issued');
      assert.equal(issued.total, 11);
      assert.ok(issued.items.every((i) => i.relation === 'issued'));
      assert.deepEqual(await names('ld79', 'relation=received'), ['storm']);
      const storm = (await list('ld79', 'relation=received')).items[0]!;
      assert.equal(storm.relation, 'received');
      // Its tasks in Hồ Chí Minh only: Hà Nội's task is not the province's to count.
      assert.deepEqual(storm.progress, { total: 1, done: 0, overdue: 0 });
      // A commune sees only what was sent to it; the nation issued everything it sees.
      assert.deepEqual(await names('xa26740', 'relation=received'), ['done', 'soon']);
      assert.deepEqual(await names('xa26740', 'relation=issued'), []);
      assert.equal((await list('lanhdao', 'relation=issued')).total, 13);
      assert.equal((await list('lanhdao', 'relation=received')).total, 0);
    });

    it('filters by status over the tasks in my scope', async () => {
      assert.deepEqual(await names('ld79', 'status=done'), ['done']);
      assert.deepEqual(await names('ld79', 'status=overdue'), ['soon']);
      const open = await names('ld79', 'status=open');
      assert.equal(open.length, 10);
      assert.ok(!open.includes('done') && !open.includes('soon'));
      const soon = (await list('ld79', 'status=overdue')).items[0]!;
      assert.deepEqual(soon.progress, { total: 2, done: 0, overdue: 2 });
      assert.equal(soon.status, 'overdue');
      // The commune's own view of `soon`: its one task, late.
      const mine = (await list('xa26740', 'status=overdue')).items;
      assert.deepEqual(
        mine.map((i) => [i.id, i.progress.total]),
        [[id('soon'), 1]],
      );
    });

    it('filters by due date: past, a window from today, a range', async () => {
      // Today is 25/11/2026.
      assert.deepEqual(await names('ld79', 'due=past'), ['soon']);
      assert.deepEqual(await names('ld01', 'due=today'), ['hanoi']);
      assert.deepEqual(await names('ld79', 'due=month'), ['pct', 'done']);
      assert.deepEqual(await names('ld79', 'dueFrom=2027-01-01&dueTo=2027-01-31'), ['body']);
      assert.deepEqual(await names('ld79', 'due=month&dueTo=2026-12-16'), ['done']);
      assert.equal((await list('ld79', 'dueFrom=2027-02-28')).total, 7);
    });

    it('searches title and body without regard to case or Vietnamese marks', async () => {
      assert.deepEqual(await names('ld79', 'q=chi%20thi'), ['body', 'storm']);
      assert.deepEqual(await names('ld79', 'q=CH%E1%BB%88%20TH%E1%BB%8A'), ['body', 'storm']);
      assert.deepEqual(await names('ld79', `q=${encodeURIComponent('hộ nghèo')}`), ['soon']);
      // Words in any order, each found; đ as d.
      assert.deepEqual(await names('ld79', 'q=ngheo%20ra'), ['soon']);
      assert.deepEqual(await names('ld79', 'q=thanh%20uy'), ['body']);
      assert.equal((await list('ld79', 'q=DON%20VI')).total, 11);
      // Decomposed marks (as some keyboards send them) fold the same way.
      const nfd = encodeURIComponent('chỉ thị'.normalize('NFD'));
      assert.deepEqual(await names('ld79', `q=${nfd}`), ['body', 'storm']);
      // A number finds its directive (and the texts holding it); with # only the directive.
      assert.ok((await names('ld79', `q=${id('body')}`)).includes('body'));
      assert.deepEqual(await names('ld79', `q=%23${id('done')}`), ['done']);
      assert.deepEqual(await names('ld01', `q=%23${id('done')}`), []);
      // Combined with the other filters.
      assert.deepEqual(await names('ld79', 'q=chi%20thi&relation=issued'), ['body']);
    });

    it('takes %, _ and \\ in the search text literally', async () => {
      assert.deepEqual(await names('ld79', 'q=%25'), ['pct']);
      assert.deepEqual(await names('ld79', 'q=50%25'), ['pct']);
      assert.deepEqual(await names('ld79', 'q=_'), ['pct']);
      assert.deepEqual(await names('ld79', 'q=a_'), []);
      assert.deepEqual(await names('ld79', 'q=%5C'), []);
      assert.deepEqual(await names('ld79', 'q=%25%25'), []);
    });

    it('pages without a gap or a repeat, with the total', async () => {
      const whole = (await list('ld79')).items.map((i) => i.id);
      const seen: number[] = [];
      for (let offset = 0; offset < 15; offset += 5) {
        const r = await api('ld79').get(`/api/directives?limit=5&offset=${offset}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.total, 12);
        assert.equal(r.json.offset, offset);
        assert.equal(r.json.limit, 5);
        seen.push(...r.json.items.map((i: Item) => i.id));
      }
      assert.deepEqual(seen, whole);
      const filtered = await api('ld79').get('/api/directives?limit=3&offset=3&q=nhiem%20vu');
      assert.equal(filtered.json.total, 7);
      assert.deepEqual(
        filtered.json.items.map((i: Item) => i.title),
        ['Nhiệm vụ thường xuyên 4', 'Nhiệm vụ thường xuyên 3', 'Nhiệm vụ thường xuyên 2'],
      );
      const past = await api('ld79').get('/api/directives?offset=100');
      assert.deepEqual([past.json.items.length, past.json.total], [0, 12]);
    });

    it('never shows a directive outside the scope, whatever the filter or the search', async () => {
      const hcm = [
        'soon',
        'done',
        'pct',
        'body',
        ...Array.from({ length: 7 }, (_, i) => `n${i + 1}`),
      ];
      const queries = [
        '',
        'relation=all',
        'relation=issued',
        'relation=received',
        'issued=true',
        'status=open',
        'status=overdue',
        'status=done',
        'due=past',
        'dueFrom=2000-01-01&dueTo=2099-12-31',
        'q=chi%20thi',
        `q=%23${id('done')}`,
        `q=${id('soon')}`,
        'q=ho%20ngheo',
        'q=%25',
        'version=2022',
      ];
      for (const q of queries) {
        const other = await names('ld01', q);
        assert.ok(!other.some((n) => hcm.includes(n)), `ld01 ${q}: ${other.join(', ')}`);
        const ward = await names('xa00004', q);
        assert.ok(
          ward.every((n) => n === 'storm' || n === 'hanoi') || ward.length === 0,
          `xa00004 ${q}: ${ward.join(', ')}`,
        );
        const commune = await names('xa26740', q);
        assert.ok(
          commune.every((n) => ['soon', 'done'].includes(n)),
          `xa26740 ${q}: ${commune.join(', ')}`,
        );
      }
      // Hà Nội sees the nation's directive and its own, nothing of Hồ Chí Minh's.
      assert.deepEqual(await names('ld01'), ['hanoi', 'storm']);
      assert.equal((await list('ld01', 'q=ho%20ngheo')).total, 0);
    });

    it('refuses bad parameters with the field, in Vietnamese and English', async () => {
      const bad = async (query: string, path: string) => {
        const r = await api('ld79').get(`/api/directives?${query}`);
        assert.equal(r.status, 400, `${query}: ${r.text}`);
        assert.equal(r.json.error.code, 'validation_failed');
        assert.ok(
          r.json.error.details.issues.some((i: { path: string }) => i.path === path),
          `${query}: ${JSON.stringify(r.json.error.details)}`,
        );
        assert.match(r.json.error.messages.vi, new RegExp(path));
        assert.match(r.json.error.messages.en, new RegExp(path));
        return r;
      };
      await bad('status=late', 'status');
      await bad('relation=mine', 'relation');
      await bad('due=tomorrow', 'due');
      await bad('dueFrom=31/12/2026', 'dueFrom');
      await bad('dueFrom=2026-12-31&dueTo=2026-12-01', 'dueTo');
      await bad('issued=true&relation=received', 'issued');
      await bad('limit=0', 'limit');
      await bad('limit=501', 'limit');
      await bad('offset=-1', 'offset');
      await bad('offset=abc', 'offset');
      const long = await bad(`q=${'a'.repeat(201)}`, 'q');
      assert.match(long.json.error.messages.en, /200/);
      await bad(`q=${encodeURIComponent('a '.repeat(11))}`, 'q');
    });

    it("leaves the recipients' copies out of the inbox when asked: my unit's own tasks", async () => {
      const r = await api('ld79').get('/api/inbox?to=unit&limit=1000');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        r.json.items.map((x: { directiveId: number }) => x.directiveId),
        [id('storm')],
      );
      const every = await api('ld79').get('/api/inbox?limit=1000');
      assert.equal(every.json.items.length, 13);
      const nation = await api('lanhdao').get('/api/inbox?to=unit');
      assert.deepEqual(nation.json.items, []);
      const commune = await api('xa26740').get('/api/inbox?to=unit');
      assert.equal(commune.json.items.length, 2);
    });
  });
}
