import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';
import { CLAIM_LEASE_MS, MAX_ATTEMPTS } from '../domain/citizen-notification.ts';
import { createServices } from '../services/index.ts';
import {
  CitizenNotificationService,
  type NotifySettings,
} from '../services/citizen-notification.service.ts';
import { startCitizenNotifications } from '../jobs/citizen-notifications.ts';

/**
 * Telling the citizen (issue 20): an officer's answer, question, refusal or close reaches the
 * phone or email the citizen gave, through a real SMTP server (smtp-server, the receiving side
 * of nodemailer's authors) and a real HTTP SMS gateway (node:http) on loopback. The messages
 * are queued in the officer's transaction, sent by the delivery job, retried when the gateway
 * fails, kept waiting when a channel is not configured; officers see them masked; the public
 * never sees the contact.
 */

const PW = 'Notify-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  // Phường Bến Thành, Hồ Chí Minh City.
  { username: 'cb26743', role: 'officer', code: '26743' },
];
const OFFICER_NAME = 'Trần Văn Cán Bộ';
const PUBLIC_URL = 'https://phananh.example.gov.vn';
const PHONE = '0912345678';
const EMAIL = 'dan.pho@example.vn';

const vn = (s: string) => new Date(`${s}+07:00`);
const BEN_THANH = { lat: 10.7725, lon: 106.698 };

interface Sms {
  headers: IncomingHttpHeaders;
  body: { to: string; text: string };
}

/** A mail server on loopback: every message it accepts lands in `inbox`, parsed. */
async function mailServer() {
  const inbox: { to: string[]; mail: ParsedMail }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to trust.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      // Accepted (250) once read: the sender's sendMail resolves after the mail is in.
      simpleParser(stream).then(
        (mail) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          done();
        },
        (e: Error) => done(e),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    inbox,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SMS gateway on loopback: records each request; answers `plan`'s statuses first, then 200. */
async function smsGateway() {
  const received: Sms[] = [];
  const plan: { status: number; body: (to: string) => string }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as Sms['body'];
      received.push({ headers: req.headers, body });
      const next = plan.shift() ?? { status: 200, body: () => '{"status":"queued"}' };
      res.writeHead(next.status, { 'content-type': 'application/json' });
      res.end(next.body(body.to));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    plan,
    url: `http://127.0.0.1:${port}/api/sms/send`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const engine of testEngines()) {
  describe(`telling citizens of the answer on ${engine}`, () => {
    let t: TestDb;
    let now = vn('2026-11-23T10:00:00'); // a Monday
    const as = new Map<string, ApiClient>();
    const officer = () => as.get('cb26743')!;
    let citizen: ApiClient;
    let mail: Awaited<ReturnType<typeof mailServer>>;
    let gateway: Awaited<ReturnType<typeof smsGateway>>;
    let settings: NotifySettings;

    const messagesOf = async (code: string) =>
      (
        await sql<{ channel: string; kind: string; status: string; attempts: number }>`
          select n.channel, n.kind, n.status, n.attempts from citizen_notification n
          join citizen_report r on r.id = n.report_id where r.code = ${code}
          order by n.id`.execute(t.database.db)
      ).rows;
    const mailsTo = (code: string) => mail.inbox.filter((m) => m.mail.subject?.includes(code));
    const smsOf = (code: string) => gateway.received.filter((s) => s.body.text.includes(code));

    /** Moves the clock on; the officer signs in again (a session idles out). */
    const later = async (ms: number) => {
      now = new Date(now.getTime() + ms);
      assert.equal((await officer().login('cb26743', PW)).status, 200);
    };

    /** A report from Bến Thành, acknowledged by the ward: ready to be asked or answered. */
    const acknowledged = async (contact?: { phone?: string; email?: string }) => {
      const r = await citizen.post('/api/public/reports', {
        category: 'THU_TUC_HANH_CHINH',
        description: 'Hồ sơ cấp phép xây dựng trễ hẹn',
        place: BEN_THANH,
        ...(contact ? { contact } : {}),
      });
      assert.equal(r.status, 201, r.text);
      const id = (await t.services.store.repos.citizenReports.byCode(r.json.code))!.id;
      const ack = await officer().post(`/api/reports/${id}/acknowledge`, {});
      assert.equal(ack.status, 200, ack.text);
      return { id, code: r.json.code as string };
    };

    before(async () => {
      mail = await mailServer();
      gateway = await smsGateway();
      settings = {
        publicUrl: PUBLIC_URL,
        smtpUrl: mail.url,
        mailFrom: 'Phòng điều hành <no-reply@opsroom.test>',
        smsUrl: gateway.url,
        smsToken: 'gateway-token-1',
      };
      t = await openTestDb(engine, {
        clock: () => now,
        publicLimitScale: 1000,
        notify: settings,
      });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await signInUsers(t.services, USERS, PW, '2025', as);
      await t.database.db
        .updateTable('app_user')
        .set({ display_name: OFFICER_NAME })
        .where('username', '=', 'cb26743')
        .execute();
      citizen = ApiClient.for(t.services);
    });
    after(async () => {
      await t.close();
      await mail.close();
      await gateway.close();
    });

    it('mails the answer in Vietnamese and texts the phone, with the code and the link, never the officer', async () => {
      const { id, code } = await acknowledged({ phone: '+84 912 345 678', email: EMAIL });
      const answered = await officer().post(`/api/reports/${id}/answer`, {
        answer: 'Hồ sơ đã được trả kết quả ngày 20/11, mời ông/bà đến nhận tại bộ phận một cửa',
        internalNote: 'Chị Lan phụ trách hồ sơ',
      });
      assert.equal(answered.status, 200, answered.text);
      // Queued with the answer, in its transaction: one per channel, masked for the officer.
      assert.deepEqual(
        answered.json.notifications.map((n: { channel: string; to: string; kind: string }) => [
          n.channel,
          n.to,
          n.kind,
        ]),
        [
          ['sms', '091****678'],
          ['email', 'd***@example.vn'],
        ].map((x) => [...x, 'answered']),
      );
      for (const n of answered.json.notifications) {
        assert.equal(n.status, 'pending');
        assert.equal(n.configured, true);
      }
      const audit = await sql<{ after: unknown }>`select after from audit_event
        where action = 'citizen_report.answer' and entity_id = ${String(id)}`.execute(
        t.database.db,
      );
      assert.deepEqual((audit.rows[0]!.after as { notify: string[] }).notify, ['sms', 'email']);
      assert.ok(!JSON.stringify(audit.rows).includes('912345678'), 'no phone in the audit');
      assert.ok(!JSON.stringify(audit.rows).includes('dan.pho'), 'no email in the audit');

      const pass = await t.services.citizenNotifications.deliver();
      assert.deepEqual(pass, { sent: 2, retried: 0, failed: 0 });

      // The citizen's inbox.
      const [got] = mailsTo(code);
      assert.ok(got, 'the mail arrived');
      assert.deepEqual(got.to, [EMAIL]);
      assert.equal(got.mail.subject, `Phản ánh ${code} đã được trả lời`);
      assert.equal(got.mail.from?.value[0]?.address, 'no-reply@opsroom.test');
      assert.equal(got.mail.headers.get('auto-submitted'), 'auto-generated');
      const text = got.mail.text ?? '';
      assert.match(text, /Phường Bến Thành đã trả lời phản ánh/);
      assert.ok(text.includes('Hồ sơ đã được trả kết quả ngày 20/11'), text);
      assert.ok(text.includes(`${PUBLIC_URL}/phan-anh/${code}`), text);
      for (const hidden of [OFFICER_NAME, 'cb26743', 'Chị Lan', PHONE])
        assert.ok(!text.includes(hidden), `the mail says ${hidden}`);

      // The phone, through the gateway: {to, text} with the bearer token.
      const [sms] = smsOf(code);
      assert.ok(sms, 'the SMS went to the gateway');
      assert.equal(sms.headers.authorization, 'Bearer gateway-token-1');
      assert.equal(sms.headers['content-type'], 'application/json');
      assert.deepEqual(Object.keys(sms.body).sort(), ['text', 'to']);
      assert.equal(sms.body.to, '84912345678');
      assert.equal(
        sms.body.text,
        `Phan anh ${code} da duoc tra loi. Xem tai ${PUBLIC_URL}/phan-anh/${code}`,
      );
      assert.ok(sms.body.text.length <= 160);

      // The officer knows the citizen was told.
      const view = await officer().get(`/api/reports/${id}`);
      assert.equal(view.status, 200, view.text);
      for (const n of view.json.notifications) {
        assert.equal(n.status, 'sent');
        assert.equal(n.sentAt, now.toISOString());
        assert.equal(n.attempts, 1);
      }
      assert.ok(!JSON.stringify(view.json.notifications).includes('912345678'));
      assert.ok(!JSON.stringify(view.json.notifications).includes('dan.pho'));
      // The public page: no contact, masked or not, no messages.
      const pub = await citizen.get(`/api/public/reports/${code}`);
      assert.equal(pub.status, 200, pub.text);
      for (const hidden of [
        '912345678',
        '091****678',
        'dan.pho',
        'd***@',
        'notification',
        OFFICER_NAME,
      ])
        assert.ok(!pub.text.includes(hidden), `the public page shows ${hidden}`);
    });

    it('sends from the job `serve` starts: a question reaches the phone', async () => {
      const { id, code } = await acknowledged({ phone: '0987654321' });
      const asked = await officer().post(`/api/reports/${id}/request-info`, {
        question: 'Xin cho biết số biên nhận hồ sơ',
      });
      assert.equal(asked.status, 200, asked.text);
      // The job's first pass, at start, sends it and says so.
      let stop = () => {};
      await new Promise<void>((resolve) => {
        stop = startCitizenNotifications(t.services, {
          log: (l) => {
            if (/1 sent/.test(l)) resolve();
          },
        });
      });
      stop();
      const [sms] = smsOf(code);
      assert.equal(sms!.body.to, '84987654321');
      assert.match(sms!.body.text, /de nghi bo sung thong tin/);
      assert.deepEqual(await messagesOf(code), [
        { channel: 'sms', kind: 'info_requested', status: 'sent', attempts: 1 },
      ]);
    });

    it('tries again later when the gateway answers 500, then sends; a 400 is final', async () => {
      const lines: string[] = [];
      const jobs = new CitizenNotificationService(t.services.store, () => now, settings, {
        log: (l) => lines.push(l),
      });
      const { id, code } = await acknowledged({ phone: PHONE });
      const refused = await officer().post(`/api/reports/${id}/refuse`, {
        reason: 'Nội dung không thuộc thẩm quyền của phường',
      });
      assert.equal(refused.status, 200, refused.text);
      // The gateway fails, repeating the number it was given.
      gateway.plan.push({ status: 500, body: (to) => `{"error":"upstream down for ${to}"}` });
      assert.deepEqual(await jobs.deliver(), { sent: 0, retried: 1, failed: 0 });
      const waiting = (await officer().get(`/api/reports/${id}`)).json.notifications[0];
      assert.equal(waiting.status, 'pending');
      assert.equal(waiting.attempts, 1);
      assert.equal(waiting.nextAttemptAt, new Date(now.getTime() + 60_000).toISOString());
      assert.match(waiting.lastError, /500/);
      assert.ok(!waiting.lastError.includes('912345678'), waiting.lastError);
      assert.ok(waiting.lastError.includes('091****678'), waiting.lastError);
      assert.ok(lines.length === 1 && !lines[0]!.includes('912345678'), lines.join('\n'));
      // Not due yet: nothing goes.
      assert.deepEqual(await jobs.deliver(), { sent: 0, retried: 0, failed: 0 });
      now = new Date(now.getTime() + 60_000);
      assert.deepEqual(await jobs.deliver(), { sent: 1, retried: 0, failed: 0 });
      assert.equal(smsOf(code).length, 2);
      assert.match(smsOf(code)[1]!.body.text, /bi tu choi xu ly/);
      const sent = (await officer().get(`/api/reports/${id}`)).json.notifications[0];
      assert.equal(sent.status, 'sent');
      assert.equal(sent.attempts, 2);

      // A refusal of the number itself is not tried again.
      const other = await acknowledged({ phone: '0911111111' });
      await officer().post(`/api/reports/${other.id}/refuse`, { reason: 'Trùng phản ánh trước' });
      gateway.plan.push({ status: 400, body: () => '{"error":"invalid number"}' });
      assert.deepEqual(await jobs.deliver(), { sent: 0, retried: 0, failed: 1 });
      assert.deepEqual(await messagesOf(other.code), [
        { channel: 'sms', kind: 'refused', status: 'failed', attempts: 1 },
      ]);
    });

    it('gives up after the last try, with growing waits between them', async () => {
      const jobs = new CitizenNotificationService(t.services.store, () => now, settings, {
        log: () => {},
      });
      const { id, code } = await acknowledged({ phone: '0922222222' });
      await officer().post(`/api/reports/${id}/refuse`, { reason: 'Không đủ thông tin' });
      const waits: number[] = [];
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        gateway.plan.push({ status: 503, body: () => '' });
        const pass = await jobs.deliver();
        assert.deepEqual(pass, {
          sent: 0,
          retried: i < MAX_ATTEMPTS ? 1 : 0,
          failed: i < MAX_ATTEMPTS ? 0 : 1,
        });
        const n = (await officer().get(`/api/reports/${id}`)).json.notifications[0];
        if (n.nextAttemptAt) {
          waits.push(new Date(n.nextAttemptAt).getTime() - now.getTime());
          now = new Date(n.nextAttemptAt);
        }
      }
      assert.deepEqual(
        waits.map((ms) => ms / 60_000),
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
      );
      assert.deepEqual(await messagesOf(code), [
        { channel: 'sms', kind: 'refused', status: 'failed', attempts: MAX_ATTEMPTS },
      ]);
      assert.equal(smsOf(code).length, MAX_ATTEMPTS);
      await later(0);
    });

    it('sends again a message claimed by a job that stopped before confirming it', async () => {
      const { id, code } = await acknowledged({ email: 'nguoi.dan@example.vn' });
      await officer().post(`/api/reports/${id}/answer`, { answer: 'Đã xử lý xong' });
      // A job claims it and stops (a crash) before sending or confirming.
      const held = await t.services.store.repos.citizenNotifications.claim({
        channels: ['email', 'sms'],
        now,
        leaseUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
        limit: 100,
        maxAttempts: MAX_ATTEMPTS,
      });
      assert.equal(held.length, 1);
      // Held: another job leaves it.
      assert.deepEqual(await t.services.citizenNotifications.deliver(), {
        sent: 0,
        retried: 0,
        failed: 0,
      });
      assert.equal(mailsTo(code).length, 0);
      now = new Date(now.getTime() + CLAIM_LEASE_MS);
      assert.deepEqual(await t.services.citizenNotifications.deliver(), {
        sent: 1,
        retried: 0,
        failed: 0,
      });
      assert.equal(mailsTo(code).length, 1);
      assert.deepEqual(await messagesOf(code), [
        { channel: 'email', kind: 'answered', status: 'sent', attempts: 2 },
      ]);
    });

    it('keeps the messages of a channel this server cannot send on, and says so, until it can', async () => {
      // The same database, served by an instance without any channel configured.
      const bare = createServices(t.database, { clock: () => now, publicLimitScale: 1000 });
      const off = ApiClient.for(bare);
      assert.equal((await off.login('cb26743', PW)).status, 200);
      const { id, code } = await acknowledged({ phone: '0933333333', email: 'cho@example.vn' });
      const answered = await off.post(`/api/reports/${id}/answer`, { answer: 'Đã sửa xong' });
      assert.equal(answered.status, 200, answered.text);
      assert.deepEqual(await bare.citizenNotifications.deliver(), {
        sent: 0,
        retried: 0,
        failed: 0,
      });
      const shown = (await off.get(`/api/reports/${id}`)).json.notifications;
      assert.deepEqual(
        shown.map(
          (n: { channel: string; status: string; configured: boolean; attempts: number }) => [
            n.channel,
            n.status,
            n.configured,
            n.attempts,
          ],
        ),
        [
          ['sms', 'pending', false, 0],
          ['email', 'pending', false, 0],
        ],
      );
      // A day later, on an instance that is configured: they go.
      await later(86_400_000);
      assert.deepEqual(await t.services.citizenNotifications.deliver(), {
        sent: 2,
        retried: 0,
        failed: 0,
      });
      assert.equal(mailsTo(code).length, 1);
      assert.equal(smsOf(code).length, 1);
    });

    it('queues one message per event: an Idempotency-Key retry, a repeat, the same event twice', async () => {
      const { id, code } = await acknowledged({ phone: '0944444444', email: 'mot@example.vn' });
      const headers = { 'idempotency-key': 'answer-once-1' };
      const body = { answer: 'Đã trả lời một lần' };
      const first = await officer().post(`/api/reports/${id}/answer`, body, headers);
      assert.equal(first.status, 200, first.text);
      const again = await officer().post(`/api/reports/${id}/answer`, body, headers);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      // Without the key, the same answer again is refused by the report's status.
      const repeat = await officer().post(`/api/reports/${id}/answer`, body);
      assert.equal(repeat.status, 409, repeat.text);
      assert.equal((await messagesOf(code)).length, 2);
      // Queuing the same event again adds nothing.
      const r = (await t.services.store.repos.citizenReports.byId(id))!;
      const event = (await t.services.store.repos.citizenReports.events(id)).find(
        (e) => e.kind === 'answered',
      )!;
      const queued = await t.services.store.transaction((tx) =>
        t.services.citizenNotifications.queue(tx, r, {
          eventId: event.id,
          kind: 'answered',
          note: 'Đã trả lời một lần',
          at: now,
        }),
      );
      assert.deepEqual(queued, []);
      await t.services.citizenNotifications.deliver();
      assert.equal(mailsTo(code).length, 1);
      assert.equal(smsOf(code).length, 1);
    });

    it('two jobs at once send each message once', async () => {
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { id, code } = await acknowledged({
          phone: `095555555${i}`,
          email: `hai${i}@example.vn`,
        });
        await officer().post(`/api/reports/${id}/answer`, { answer: `Trả lời số ${i}` });
        codes.push(code);
      }
      const second = new CitizenNotificationService(t.services.store, () => now, settings);
      const passes = await Promise.all([
        t.services.citizenNotifications.deliver(),
        second.deliver(),
      ]);
      assert.equal(passes[0].sent + passes[1].sent, 6);
      second.close();
      for (const code of codes) {
        assert.equal(mailsTo(code).length, 1, code);
        assert.equal(smsOf(code).length, 1, code);
      }
    });

    it('tells of a close only when it is news; queues nothing without a contact', async () => {
      // Answered, then closed without a note: the citizen was told at the answer.
      const a = await acknowledged({ email: 'ba@example.vn' });
      await officer().post(`/api/reports/${a.id}/answer`, { answer: 'Đã xong' });
      await officer().post(`/api/reports/${a.id}/close`, {});
      assert.deepEqual(
        (await messagesOf(a.code)).map((m) => m.kind),
        ['answered'],
      );
      // Closed directly, with what was done: that is the outcome.
      const b = await acknowledged({ email: 'bon@example.vn' });
      const closed = await officer().post(`/api/reports/${b.id}/close`, {
        note: 'Đã dọn rác tại điểm phản ánh',
      });
      assert.equal(closed.status, 200, closed.text);
      assert.deepEqual(
        (await messagesOf(b.code)).map((m) => m.kind),
        ['closed'],
      );
      await t.services.citizenNotifications.deliver();
      const [got] = mailsTo(b.code);
      assert.equal(got!.mail.subject, `Phản ánh ${b.code} đã kết thúc xử lý`);
      assert.ok(got!.mail.text!.includes('Đã dọn rác tại điểm phản ánh'));

      // No contact: nothing queued, nothing in the audit.
      const c = await acknowledged();
      await officer().post(`/api/reports/${c.id}/request-info`, { question: 'Ở số nhà nào?' });
      const answered = await officer().post(`/api/reports/${c.id}/answer`, { answer: 'Đã xong' });
      assert.equal(answered.status, 200, answered.text);
      assert.deepEqual(answered.json.notifications, []);
      assert.deepEqual(await messagesOf(c.code), []);
      const audit = await sql<{ after: Record<string, unknown> }>`select after from audit_event
        where entity_type = 'citizen_report' and entity_id = ${String(c.id)}`.execute(
        t.database.db,
      );
      assert.ok(audit.rows.every((x) => !('notify' in x.after)));
    });
  });
}
