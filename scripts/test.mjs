#!/usr/bin/env node
// The whole test suite, the way the README and CI run it: `npm test`.
// 1. the PostgreSQL server for the second engine, 2. Chromium for browser tests,
// 3. the web app build, 4. node's test runner over src/**/*.test.ts and e2e/**/*.test.ts.
// With CI=true nothing may be skipped: a missing piece fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env };
const skipped = [];

function loud(msg) {
  console.error(`\n!!! ${msg}\n`);
}
function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env, ...opts });
}

async function serverReachable() {
  const c = new pg.Client({
    connectionString: env.OPSROOM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

if (!env.OPSROOM_TEST_ENGINES?.split(',').every((e) => e === 'pglite')) {
  if (!(await serverReachable())) {
    const start = spawnSync(
      'bash',
      ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'],
      {
        stdio: 'inherit',
      },
    );
    if (start.status !== 0 || !(await serverReachable())) {
      if (CI) {
        loud(
          'PostgreSQL server at 127.0.0.1:5432 is not reachable and could not be started; CI needs both engines.',
        );
        process.exit(1);
      }
      loud(
        'SKIPPING the PostgreSQL server engine: 127.0.0.1:5432 is not reachable. Tests run on PGlite only.',
      );
      skipped.push('postgres engine');
      env.OPSROOM_TEST_ENGINES = 'pglite';
    }
  }
}

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && env.OPSROOM_SKIP_E2E !== '1') {
  console.error('Chromium is missing: installing Debian packages chromium and fonts (apt-get)…');
  const r = spawnSync(
    'bash',
    [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null',
    ],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    if (CI) {
      loud('Could not install Chromium (apt-get install -y chromium); CI runs the browser tests.');
      process.exit(1);
    }
    loud(
      'SKIPPING browser tests (e2e/): Chromium could not be installed. Run as root: apt-get install -y chromium',
    );
    skipped.push('browser tests');
    env.OPSROOM_SKIP_E2E = '1';
  }
}
if (env.OPSROOM_SKIP_E2E === '1' && CI) {
  loud('OPSROOM_SKIP_E2E is set, but CI may not skip the browser tests.');
  process.exit(1);
}

// The briefing's exports are opened by readers nobody here wrote (issue 18): LibreOffice
// converts the DOCX and XLSX, poppler reads the PDFs; the PDF export prints with serif fonts.
const READERS = ['/usr/bin/soffice', '/usr/bin/pdftotext', '/usr/share/fonts/truetype/liberation2'];
if (!READERS.every(existsSync) && env.OPSROOM_SKIP_DOCUMENTS !== '1') {
  console.error('LibreOffice or poppler is missing: installing Debian packages (apt-get)…');
  const r = spawnSync(
    'bash',
    [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2 fonts-dejavu-core >/dev/null',
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0 || !READERS.every(existsSync)) {
    if (CI) {
      loud('Could not install LibreOffice and poppler (apt-get); CI opens the exported documents.');
      process.exit(1);
    }
    loud(
      'SKIPPING the document readers: run as root: apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils',
    );
    skipped.push('document readers');
    env.OPSROOM_SKIP_DOCUMENTS = '1';
  }
}
if (env.OPSROOM_SKIP_DOCUMENTS === '1' && CI) {
  loud('OPSROOM_SKIP_DOCUMENTS is set, but CI may not skip the document readers.');
  process.exit(1);
}

const build = run('npm', ['run', 'build:web', '--silent']);
if (build.status !== 0) process.exit(build.status ?? 1);

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const only = process.argv.slice(2);
let files = [
  ...find(join(root, 'src')),
  ...find(join(root, 'web', 'src')), // the web app's pure modules (e.g. format.ts)
  ...(env.OPSROOM_SKIP_E2E === '1' ? [] : find(join(root, 'e2e'))),
].sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
console.error(
  `Running ${files.length} test files on engines: ${env.OPSROOM_TEST_ENGINES ?? 'pglite,postgres'}`,
);

const result = run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  // TAP, with the failures repeated at the end where CI's tail shows them.
  `--test-reporter=${join(root, 'scripts', 'test-reporter.mjs')}`,
  '--test-reporter-destination=stdout',
  // A test that hangs (a lost database connection, a browser that never answers) fails
  // instead of holding CI until its time runs out.
  '--test-timeout=600000',
  ...files,
]);
if (skipped.length) loud(`Skipped: ${skipped.join(', ')} (see above why).`);
process.exit(result.status ?? 1);
