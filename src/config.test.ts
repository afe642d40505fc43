import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { AppError } from './domain/errors.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

test('PORT=abc: `opsroom serve` exits non-zero before anything starts, naming PORT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-config-'));
  const dataDir = join(dir, 'data');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'abc', OPSROOM_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    assert.equal(r.signal, null, `still running after 60 s:\n${r.stdout}${r.stderr}`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /PORT/);
    assert.match(r.stderr, /Cấu hình không hợp lệ/);
    assert.match(r.stderr, /expected a whole port number/);
    // Nothing started: no database was created, no pid file written.
    assert.equal(existsSync(dataDir), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('OPSROOM_DEMO takes the usual spellings of yes and no', () => {
  for (const v of ['false', 'FALSE', '0', 'no', 'Off', ' false '])
    assert.equal(loadConfig({ OPSROOM_DEMO: v }).demo, false, v);
  for (const v of ['true', 'True', '1', 'yes', 'ON'])
    assert.equal(loadConfig({ OPSROOM_DEMO: v }).demo, true, v);
  assert.equal(loadConfig({}).demo, true);
  assert.equal(loadConfig({ OPSROOM_DEMO: '' }).demo, true);
  assert.throws(
    () => loadConfig({ OPSROOM_DEMO: 'maybe' }),
    (e: AppError) => e.code === 'validation_failed' && /OPSROOM_DEMO/.test(e.messages.en),
  );
});

test('every setting is checked, and every bad one is named with what it takes', () => {
  const c = loadConfig({
    PORT: '8080',
    HOST: '127.0.0.1',
    DATABASE_URL: 'postgres://app@db.local:5432/opsroom',
    OPSROOM_DATA_DIR: '/var/lib/opsroom',
    OPSROOM_ADMIN_PASSWORD: 'long-enough-pw',
    OPSROOM_SECURE_COOKIES: 'yes',
    OPSROOM_TRUST_PROXY: '1',
    OPSROOM_QUEUE_LIMIT: '50',
    OPSROOM_PUBLIC_URL: 'https://phananh.example.gov.vn',
    OPSROOM_SMTP_URL: 'smtp://mailer:secret-pw@mail.example.gov.vn:587',
    OPSROOM_MAIL_FROM: 'Phòng điều hành <no-reply@example.gov.vn>',
    OPSROOM_SMS_URL: 'https://sms.example.vn/api/send',
    OPSROOM_SMS_TOKEN: 'sms-token',
  });
  assert.deepEqual(c, {
    port: 8080,
    host: '127.0.0.1',
    databaseUrl: 'postgres://app@db.local:5432/opsroom',
    dataDir: '/var/lib/opsroom',
    adminPassword: 'long-enough-pw',
    demo: true,
    demoReports: true,
    secureCookies: true,
    trustProxy: 1,
    queueLimit: 50,
    notify: {
      publicUrl: 'https://phananh.example.gov.vn',
      smtpUrl: 'smtp://mailer:secret-pw@mail.example.gov.vn:587',
      mailFrom: 'Phòng điều hành <no-reply@example.gov.vn>',
      smsUrl: 'https://sms.example.vn/api/send',
      smsToken: 'sms-token',
    },
  });
  assert.equal(loadConfig({ OPSROOM_SECURE_COOKIES: 'Yes' }).secureCookies, true);
  assert.equal(loadConfig({ OPSROOM_SECURE_COOKIES: 'off' }).secureCookies, false);
  assert.equal(loadConfig({}).secureCookies, false);
  assert.equal(loadConfig({}).trustProxy, 0);
  assert.equal(loadConfig({ OPSROOM_TRUST_PROXY: '0' }).trustProxy, 0);
  assert.equal(loadConfig({ OPSROOM_TRUST_PROXY: 'false' }).trustProxy, 0);
  assert.equal(loadConfig({ OPSROOM_TRUST_PROXY: '1' }).trustProxy, 1);
  assert.equal(loadConfig({ OPSROOM_TRUST_PROXY: 'true' }).trustProxy, 1);
  assert.equal(loadConfig({ OPSROOM_TRUST_PROXY: '2' }).trustProxy, 2);
  assert.throws(() => loadConfig({ OPSROOM_TRUST_PROXY: 'maybe' }), /OPSROOM_TRUST_PROXY/);
  const d = loadConfig({});
  assert.equal(d.port, 3000);
  assert.equal(d.trustProxy, 0);
  assert.equal(d.secureCookies, false);

  let err: AppError | undefined;
  try {
    loadConfig({
      PORT: '70000',
      DATABASE_URL: 'mysql://x@y/z',
      OPSROOM_ADMIN_PASSWORD: 'short',
      OPSROOM_SECURE_COOKIES: 'sure',
      OPSROOM_QUEUE_LIMIT: '0',
    });
  } catch (e) {
    err = e as AppError;
  }
  assert.ok(err instanceof AppError);
  const problems = (err.details as { problems: { path: string; vi: string; en: string }[] })
    .problems;
  assert.deepEqual(problems.map((p) => p.path).sort(), [
    'DATABASE_URL',
    'OPSROOM_ADMIN_PASSWORD',
    'OPSROOM_QUEUE_LIMIT',
    'OPSROOM_SECURE_COOKIES',
    'PORT',
  ]);
  for (const p of problems) assert.ok(p.vi.startsWith('cần ') && p.en.startsWith('expected '));
  // A password is never repeated back.
  assert.ok(!JSON.stringify(problems).includes('short'));
  for (const port of ['abc', '3000x', '-1', '1.5', ' '])
    assert.throws(() => loadConfig({ PORT: port }), /PORT/, port);
});

test('the channels to citizens: URLs checked, a sender required with SMTP, secrets never repeated', () => {
  // Unset: no channel, messages wait.
  assert.deepEqual(loadConfig({}).notify, {
    publicUrl: undefined,
    smtpUrl: undefined,
    mailFrom: undefined,
    smsUrl: undefined,
    smsToken: undefined,
  });
  assert.equal(
    loadConfig({ OPSROOM_SMTP_URL: 'smtps://mail.example.vn:465', OPSROOM_MAIL_FROM: 'a@b.vn' })
      .notify.mailFrom,
    'a@b.vn',
  );
  let err: AppError | undefined;
  try {
    loadConfig({
      OPSROOM_SMTP_URL: 'smtp://user:hunter2-pw@',
      OPSROOM_SMS_URL: 'ftp://sms.example.vn',
      OPSROOM_SMS_TOKEN: ' ',
      OPSROOM_PUBLIC_URL: 'phananh.example.vn',
    });
  } catch (e) {
    err = e as AppError;
  }
  assert.ok(err instanceof AppError);
  const problems = (err.details as { problems: { path: string; vi: string; en: string }[] })
    .problems;
  assert.deepEqual(problems.map((p) => p.path).sort(), [
    'OPSROOM_MAIL_FROM',
    'OPSROOM_PUBLIC_URL',
    'OPSROOM_SMS_TOKEN',
    'OPSROOM_SMS_URL',
    'OPSROOM_SMTP_URL',
  ]);
  assert.ok(!JSON.stringify(problems).includes('hunter2'), 'the SMTP password is not repeated');
  const from = problems.find((p) => p.path === 'OPSROOM_MAIL_FROM')!;
  assert.match(from.vi, /bắt buộc khi có OPSROOM_SMTP_URL, chưa đặt$/);
  assert.throws(
    () => loadConfig({ OPSROOM_SMTP_URL: 'smtp://mail.example.vn', OPSROOM_MAIL_FROM: 'no-at' }),
    /OPSROOM_MAIL_FROM/,
  );
});
