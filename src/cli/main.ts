import { readFileSync } from 'node:fs';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Command, Option } from 'commander';
import { loadConfig, SETTINGS, type Config } from '../config.ts';
import { ACTIONS, ROLES, type Action, type Actor, type Role } from '../domain/access.ts';
import type { DataValueFormat } from '../domain/data-value-set.ts';
import type { MetadataDocumentInput } from '../domain/metadata.ts';
import type { ImportStrategy } from '../domain/data-value.ts';
import {
  DEFAULT_DAYS,
  DEFAULT_PROVINCE_DAYS,
  DEFAULT_HISTORY_FROM,
  DEMO_HISTORIES,
  loadDemoData,
  type DemoHistory,
} from '../jobs/demo-data.ts';
import { startLivePrune } from '../jobs/live-prune.ts';
import { AppError } from '../domain/errors.ts';
import { BRIEFING_FORMATS, type BriefingFormat } from '../contract/briefing.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import { openConfigured, startServer } from '../server.ts';
import { startEscalation } from '../jobs/escalation.ts';
import { startCitizenFigures } from '../jobs/citizen-figures.ts';
import { startPendingPrune } from '../jobs/pending-prune.ts';
import { startCitizenNotifications } from '../jobs/citizen-notifications.ts';
import { prepareDatabase } from '../services/bootstrap.ts';
import { createServices, type Services } from '../services/index.ts';
import { exportMessage, exportToStream } from './export.ts';
import { lockDataDir } from './lock.ts';
import { progressReporter } from './progress.ts';
import {
  exportWeights,
  exportWeightsMessage,
  importWeights,
  pairOf,
  readWeightsFile,
  resetWeights,
  weightsMessage,
} from './weights.ts';

/**
 * The settings, checked once before a command touches anything; a bad one is reported by the
 * handler at the end (naming the setting, in Vietnamese and English) with a non-zero exit.
 */
let loaded: Config | undefined;
const settings = (): Config => (loaded ??= loadConfig());

/** Runs a command against the configured database, prepared and migrated. */
async function withServices<T>(
  fn: (s: Services) => Promise<T>,
  opts: { prepare?: boolean } = { prepare: true },
): Promise<T> {
  const config = settings();
  let unlock = () => {};
  if (!config.databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    unlock = lockDataDir(config.dataDir);
  }
  const database = await openConfigured(config);
  try {
    const s = createServices(database);
    if (opts.prepare !== false) {
      const progress = progressReporter();
      await prepareDatabase(s, progress);
      progress.stop();
    }
    return await fn(s);
  } finally {
    await database.close();
    unlock();
  }
}

async function readPassword(prompt: string): Promise<string> {
  if (process.env.OPSROOM_USER_PASSWORD) return process.env.OPSROOM_USER_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const pw = await rl.question(prompt);
  rl.close();
  return pw;
}

const program = new Command()
  .name('opsroom')
  .description(`Opsroom — phòng điều hành / operations room. Env: ${SETTINGS.join(', ')}`)
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'Start the server: migrate, load the administrative units on first start, listen on PORT',
  )
  .action(async () => {
    const config = settings();
    const unlock = config.databaseUrl
      ? () => {}
      : (mkdirSync(config.dataDir, { recursive: true }), lockDataDir(config.dataDir));
    const progress = progressReporter();
    const engine = config.databaseUrl
      ? 'PostgreSQL server (DATABASE_URL)'
      : `embedded PGlite in ${config.dataDir}`;
    console.log(`Opsroom: database ${engine}`);
    const running = await startServer(config, { progress });
    progress.stop();
    startEscalation(running.services);
    startCitizenFigures(running.services);
    startPendingPrune(running.services, { log: (l) => console.log(l) });
    startCitizenNotifications(running.services);
    console.log(
      `Opsroom đang chạy / listening: http://localhost:${running.port}  (API docs: /api/openapi.json)`,
    );
    const jobs = startLivePrune(running.services, { log: (l) => console.log(l) });
    const shutdown = async () => {
      jobs.stop();
      // Live streams never end by themselves; the server closes only once they are gone.
      running.services.live.hub.close();
      await running.stop();
      unlock();
      process.exit(0);
    };
    // A signal handler cannot be awaited: a failed shutdown is shown and exits non-zero, as
    // the unhandled rejection it used to be did.
    const onSignal = () =>
      void shutdown().catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

program
  .command('migrate')
  .description('Apply database migrations that have not run yet')
  .action(() =>
    withServices(
      async (s) => {
        const applied = await s.store.migrate();
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
      },
      { prepare: false },
    ),
  );

const units = program.command('units').description('Administrative units');
units
  .command('import')
  .description(
    'Import a units file (format of data/vn-admin/units-*.json) as a version; all or nothing',
  )
  .argument('<file>', 'the units file')
  .option('--version-id <id>', 'version id (default: from the file name units-<id>.json)')
  .action((file: string, opts: { versionId?: string }) =>
    withServices(async (s) => {
      const progress = progressReporter();
      const r = await s.hierarchy.importUnitsFile('system', readFileSync(file, 'utf8'), {
        fileName: file,
        versionId: opts.versionId,
        onProgress: (done, total) => progress('units', done, total),
      });
      progress.stop();
      console.log(
        `version ${r.version}: ${r.units} units (${r.inserted} new, ${r.updated} updated, ${r.removed} removed)`,
      );
    }),
  );

const user = program.command('user').description('User accounts');
user
  .command('add')
  .description(
    'Add a user with a role and a scope (password from OPSROOM_USER_PASSWORD or a prompt)',
  )
  .requiredOption('--username <name>')
  .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
  .option('--scope <code>', 'the unit the user may see, with everything under it', ROOT_CODE)
  .option('--version-id <id>', 'hierarchy version of the scope unit (default: in force today)')
  .option('--display-name <name>')
  .action(
    async (o: {
      username: string;
      role: Role;
      scope: string;
      versionId?: string;
      displayName?: string;
    }) => {
      const password = await readPassword(`Mật khẩu cho ${o.username} / password: `);
      await withServices(async (s) => {
        const version = await s.hierarchy.resolveVersion(o.versionId);
        const u = await s.auth.createUser('system', {
          username: o.username,
          displayName: o.displayName,
          password,
          role: o.role,
          scope: { version, code: o.scope },
        });
        console.log(`user ${u.username} (${u.role}) scoped to ${u.scope_version}:${u.scope_code}`);
      });
    },
  );

const token = program.command('token').description('API tokens for machines');
token
  .command('create')
  .description('Create a token limited to a scope and permissions; prints it once')
  .requiredOption('--name <name>')
  .option('--scope <code>', 'unit the token may act on, with everything under it', ROOT_CODE)
  .option('--version-id <id>', 'hierarchy version of the scope unit (default: in force today)')
  .requiredOption('--permissions <list>', `comma-separated: ${ACTIONS.join(', ')}`)
  .option('--expires-days <n>', 'days until it expires', (v) => Number(v))
  .action(
    (o: {
      name: string;
      scope: string;
      versionId?: string;
      permissions: string;
      expiresDays?: number;
    }) =>
      withServices(async (s) => {
        const permissions = o.permissions.split(',').map((p) => p.trim()) as Action[];
        const bad = permissions.filter((p) => !ACTIONS.includes(p));
        if (bad.length)
          throw new Error(
            `unknown permission(s): ${bad.join(', ')}; choose from ${ACTIONS.join(', ')}`,
          );
        const version = await s.hierarchy.resolveVersion(o.versionId);
        const t = await s.auth.createToken('system', {
          name: o.name,
          scope: { version, code: o.scope },
          permissions,
          expiresInDays: o.expiresDays,
        });
        console.log(t.token);
      }),
  );

program
  .command('audit')
  .description('Audit log')
  .command('tail')
  .description('Show the newest audit events')
  .option('-n, --lines <n>', 'how many', (v) => Number(v), 20)
  .action((o: { lines: number }) =>
    withServices(async (s) => {
      const events = await s.audit.list('system', { limit: o.lines });
      for (const e of events.reverse()) {
        const unit = e.unit ? ` ${e.unit.version}:${e.unit.code}` : '';
        console.log(
          `${new Date(e.at).toISOString()}  ${e.actor.name.padEnd(16)} ${e.action.padEnd(24)} ${e.entity.type}:${e.entity.id}${unit}  ${JSON.stringify(e.after)}`,
        );
      }
    }),
  );

program
  .command('import')
  .description(
    'Import data values (DHIS2 data value set: JSON, CSV, DXF2 XML or ADX); all or nothing unless --per-row',
  )
  .argument(
    '<file>',
    'the file; the format follows its extension (.json, .csv, .xml, .adx.xml) unless --format',
  )
  .option('--format <format>', 'json, csv, xml or adx')
  .option('--per-row', 'import good rows and report bad ones, as DHIS2 does')
  .option('--dry-run', 'check and count, write nothing')
  .option('--strategy <s>', 'CREATE, UPDATE, CREATE_AND_UPDATE or DELETE', 'CREATE_AND_UPDATE')
  .option(
    '--version-id <id>',
    'resolve unit codes in this hierarchy version (default: the one in force at each period)',
  )
  .action(
    (
      file: string,
      o: {
        format?: string;
        perRow?: boolean;
        dryRun?: boolean;
        strategy: string;
        versionId?: string;
      },
    ) =>
      withServices(async (s) => {
        const progress = progressReporter();
        // CSV streams in batches; JSON and XML are read whole.
        const summary = await s.dataValues.importFile('system', file, {
          format: o.format as DataValueFormat | undefined,
          atomic: !o.perRow,
          dryRun: o.dryRun,
          strategy: o.strategy as ImportStrategy,
          version: o.versionId,
          onProgress: (step, done, total) =>
            progress(step === 'check' ? 'check rows' : 'write values', done, total),
        });
        progress.stop();
        console.log(`${summary.status}: ${summary.description.vi}\n${summary.description.en}`);
        for (const c of summary.conflicts.slice(0, 50)) {
          const where = c.line ? `line ${c.line}` : `row ${c.index}`;
          console.log(
            `  ${where} ${c.errorCode} ${c.property}=${JSON.stringify(c.value)}: ${c.reason.vi} / ${c.reason.en}`,
          );
        }
        if (summary.conflicts.length > 50) console.log(`  … ${summary.conflicts.length - 50} more`);
        if (summary.status === 'ERROR') process.exitCode = 2;
      }),
  );

program
  .command('export')
  .description(
    'Export data values as a DHIS2 data value set (JSON, CSV, XML or ADX) to a file or standard output; every value unless --limit',
  )
  .addOption(
    new Option('--format <format>', 'json, csv, xml or adx')
      .choices(['json', 'csv', 'xml', 'adx'])
      .default('json'),
  )
  .option('--output <file>', 'write here instead of standard output')
  .option('--data-element <codes>', 'comma-separated element codes')
  .option('--data-set <code>')
  .option('--period <ids>', 'comma-separated periods')
  .option('--start-date <date>')
  .option('--end-date <date>')
  .option('--org-unit <codes>', 'comma-separated unit codes')
  .option('--children', 'with every unit under them')
  .option('--version-id <id>', 'hierarchy version of the units')
  .option('--id-scheme <scheme>', 'code or uid', 'code')
  .option('--limit <n>', 'at most this many values (said when more match)', (v) => Number(v))
  .option('--include-deleted', 'deleted values too, marked deleted (not with ADX)')
  .action(
    (o: {
      format: DataValueFormat;
      output?: string;
      dataElement?: string;
      dataSet?: string;
      period?: string;
      startDate?: string;
      endDate?: string;
      orgUnit?: string;
      children?: boolean;
      versionId?: string;
      idScheme: string;
      limit?: number;
      includeDeleted?: boolean;
    }) =>
      withServices(async (s) => {
        const split = (x?: string) => x?.split(',').map((v) => v.trim());
        const admin = await systemActor(s);
        const q = {
          format: o.format,
          dataElements: split(o.dataElement),
          dataSet: o.dataSet,
          periods: split(o.period),
          startDate: o.startDate,
          endDate: o.endDate,
          orgUnits: split(o.orgUnit),
          children: o.children,
          version: o.versionId,
          idScheme: o.idScheme === 'uid' ? ('uid' as const) : ('code' as const),
          limit: o.limit,
          includeDeleted: o.includeDeleted,
        };
        if (!o.output) {
          const r = await exportToStream(s, admin, q, process.stdout, { end: false });
          console.error(exportMessage(r, 'stdout'));
          return;
        }
        // Written beside the file and renamed at the end: a failed export leaves no half file.
        const part = `${o.output}.part`;
        try {
          const r = await exportToStream(s, admin, q, createWriteStream(part));
          renameSync(part, o.output);
          console.error(exportMessage(r, o.output));
        } catch (e) {
          rmSync(part, { force: true });
          throw e;
        }
      }),
  );

const metadata = program
  .command('metadata')
  .description(
    "Data elements, breakdowns, indicators, targets, data sets, citizens' report categories",
  );
metadata
  .command('import')
  .description(
    'Create or change metadata from a JSON file (the shape of GET /api/metadata), all or nothing',
  )
  .argument('<file>')
  .option('--dry-run', 'check and count, change nothing')
  .action((file: string, o: { dryRun?: boolean }) =>
    withServices(async (s) => {
      // Any JSON: apply checks it against the metadata schema before anything is written.
      const doc = JSON.parse(readFileSync(file, 'utf8')) as MetadataDocumentInput;
      const summary = await s.metadata.apply('system', doc, { dryRun: o.dryRun });
      for (const [kind, c] of Object.entries(summary)) {
        console.log(
          `${kind.padEnd(18)} created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}`,
        );
      }
    }),
  );
metadata
  .command('export')
  .description('Write all metadata as JSON (imports back unchanged)')
  .action(() =>
    withServices(async (s) => {
      process.stdout.write(JSON.stringify(await s.metadata.list(), null, 2) + '\n');
    }),
  );

program
  .command('demo')
  .description('Load the demo data: the seed figures and generated daily values for every commune')
  .option('--days <n>', 'how many days, ending yesterday', (v) => Number(v), DEFAULT_DAYS)
  .option('--version-id <id>', 'hierarchy version of the communes', '2025')
  .option('--today <date>', 'the day after the last generated day (YYYY-MM-DD)')
  .option(
    '--history <kind>',
    'before those days, back to --history-from: monthly (provinces), daily (every commune: long), none',
    'monthly',
  )
  .option('--history-from <date>', 'first day of the history (YYYY-MM-DD)', DEFAULT_HISTORY_FROM)
  .option(
    '--province-days <n>',
    'with the monthly history, days of daily values per province before those days (for last year’s changes; on a new database)',
    (v) => Number(v),
    DEFAULT_PROVINCE_DAYS,
  )
  .option('--elements <codes>', 'daily elements, comma-separated (default: five of them)')
  .action(
    (o: {
      days: number;
      versionId: string;
      today?: string;
      history: string;
      historyFrom: string;
      provinceDays: number;
      elements?: string;
    }) =>
      withServices(async (s) => {
        if (!DEMO_HISTORIES.includes(o.history as DemoHistory))
          throw new Error(`--history: ${DEMO_HISTORIES.join(', ')}; got ${o.history}`);
        const progress = progressReporter();
        const r = await loadDemoData(s, {
          days: o.days,
          version: o.versionId,
          today: o.today,
          history: o.history as DemoHistory,
          historyFrom: o.historyFrom,
          provinceDays: o.provinceDays,
          elements: o.elements?.split(',').map((e) => e.trim()),
          onProgress: (step, done, total) => progress(step, done, total),
        });
        progress.stop();
        console.log(
          `${r.values} values for ${r.communes} communes, ${r.from} … ${r.to}: ${r.imported} new, ${r.updated} updated, ${r.ignored} unchanged (${(r.ms.total / 1000).toFixed(1)} s)`,
        );
        if (r.history.values > 0)
          console.log(
            `history (${r.history.mode}) ${r.history.from} … ${r.history.to}: ${r.history.values} values, ${r.history.imported} new (${(r.ms.history / 1000).toFixed(1)} s)`,
          );
        if (r.provinceDays.values > 0)
          console.log(
            `province days ${r.provinceDays.from} … ${r.provinceDays.to}: ${r.provinceDays.values} values, ${r.provinceDays.imported} new (${(r.ms.provinceDays / 1000).toFixed(1)} s)`,
          );
      }),
  );

const weights = program
  .command('weights')
  .description('Shares of split links across a reform (issue 16): export, import, reset');
weights
  .command('export')
  .description('Write every split link with its share now (set or default) as CSV')
  .option('--from <version>', 'the tree of the split units (default: the second newest)')
  .option('--to <version>', 'the tree they were split into (default: the newest)')
  .option('--out <file>', 'write here instead of standard output')
  .action((o: { from?: string; to?: string; out?: string }) =>
    withServices(async (s) => {
      const { csv, list } = await exportWeights(s, await pairOf(s, o));
      if (o.out) writeFileSync(o.out, csv);
      else process.stdout.write(csv);
      console.error(exportWeightsMessage(list, o.out ?? 'stdout'));
    }),
  );
weights
  .command('import')
  .description(
    'Set shares from a CSV (from_version,from_code,to_version,to_code,share) or JSON file; each unit named gives all its links, summing to 1; all or nothing',
  )
  .argument('<file>', '.csv or .json')
  .requiredOption('--basis <text>', 'what the shares are, e.g. "dân số 2024"')
  .action((file: string, o: { basis: string }) =>
    withServices(async (s) => {
      const rows = readWeightsFile(file);
      console.error(`… ${rows.length} tỷ lệ / shares read; kiểm tra và ghi / checking and writing`);
      console.log(weightsMessage('set', await importWeights(s, rows, o.basis)));
    }),
  );
weights
  .command('reset')
  .description('Back to the default (equal) shares: every unit of a pair of trees, or one unit')
  .requiredOption('--from <version>')
  .requiredOption('--to <version>')
  .option('--code <code>', 'only this unit of the --from tree')
  .action((o: { from: string; to: string; code?: string }) =>
    withServices(async (s) => {
      console.log(weightsMessage('reset', await resetWeights(s, o)));
    }),
  );

/** The CLI acts as the operator: a national admin, recorded as "system" where it writes. */
async function systemActor(s: Services): Promise<Actor> {
  return {
    kind: 'user',
    id: '0',
    name: 'cli',
    role: 'admin',
    permissions: ACTIONS,
    scope: { version: await s.hierarchy.resolveVersion(), code: ROOT_CODE, path: `/${ROOT_CODE}/` },
  };
}

const calendar = program
  .command('calendar')
  .description(
    "A unit's working calendar (issue 20): hours, holidays, compensating days; its own or inherited",
  );
calendar
  .command('get')
  .description('Write the calendar in effect for a unit as JSON (the spec imports back with set)')
  .argument('<code>', 'the unit; VN for the nation')
  .option('--version-id <id>', 'the tree (default: the one in force today)')
  .action((code: string, o: { versionId?: string }) =>
    withServices(async (s) => {
      const v = await s.workingCalendars.get(await systemActor(s), code, o.versionId);
      process.stdout.write(JSON.stringify(v, null, 2) + '\n');
    }),
  );
calendar
  .command('set')
  .description(
    "Set a unit's own calendar from a JSON file: {week, holidays, extraWorkingDays, extraDayHours?} or get's output",
  )
  .argument('<code>', 'the unit; VN for the nation')
  .argument('<file>')
  .option('--version-id <id>', 'the tree (default: the one in force today)')
  .action((code: string, file: string, o: { versionId?: string }) =>
    withServices(async (s) => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { spec?: unknown };
      // `calendar get` writes {unit, inheritedFrom, spec, …}: its spec is taken as it is.
      const spec = doc && typeof doc === 'object' && 'spec' in doc ? doc.spec : doc;
      const v = await s.workingCalendars.set('system', code, spec, { version: o.versionId });
      console.log(
        `${v.version}:${v.unit.code} ${v.unit.name}: ${v.spec.holidays.length} ngày nghỉ / holidays, ${v.spec.extraWorkingDays.length} ngày làm bù / extra working days`,
      );
    }),
  );
calendar
  .command('clear')
  .description("Remove a unit's own calendar: it inherits its nearest ancestor's again")
  .argument('<code>')
  .option('--version-id <id>', 'the tree (default: the one in force today)')
  .action((code: string, o: { versionId?: string }) =>
    withServices(async (s) => {
      const v = await s.workingCalendars.clear('system', code, { version: o.versionId });
      console.log(
        `${v.version}:${v.unit.code} ${v.unit.name}: theo lịch của / inherits ${v.inheritedFrom?.code} ${v.inheritedFrom?.name}`,
      );
    }),
  );

const briefing = program
  .command('briefing')
  .description('The monthly briefing (issue 18): templates as JSON, briefings exported');
briefing
  .command('template-import')
  .description(
    'Create or replace a briefing template from a JSON file (refused whole on a bad line)',
  )
  .argument('<file>')
  .action((file: string) =>
    withServices(async (s) => {
      const t = await s.briefings.saveTemplate('system', JSON.parse(readFileSync(file, 'utf8')));
      console.log(`template ${t.code}: ${t.sections.length} sections saved`);
    }),
  );
briefing
  .command('template-export')
  .description('Write a briefing template as JSON (imports back unchanged)')
  .argument('[code]', 'the template', 'MIC_MONTHLY')
  .action((code: string) =>
    withServices(async (s) => {
      const t = await s.briefings.template(await systemActor(s), code);
      process.stdout.write(JSON.stringify(t, null, 2) + '\n');
    }),
  );
briefing
  .command('list')
  .description('The briefings, newest first')
  .action(() =>
    withServices(async (s) => {
      for (const b of (await s.briefings.list(await systemActor(s))).items)
        console.log(
          `${String(b.id).padStart(5)}  ${b.status.padEnd(6)}  ${(b.number ?? '—').padEnd(14)}  r${b.revision}  ${b.period}  ${b.version}:${b.unit}  ${b.titleVi}`,
        );
    }),
  );
briefing
  .command('export')
  .description('Write a briefing as DOCX, XLSX, PDF, CSV or JSON (an issued one exactly as issued)')
  .argument('<id>', 'the briefing (see `briefing list`)')
  .option('--format <format>', 'docx, xlsx, pdf, csv or json', 'docx')
  .option('--out <file>', 'where to write (default: its name, in the current directory)')
  .action((id: string, o: { format: string; out?: string }) =>
    withServices(async (s) => {
      if (!(BRIEFING_FORMATS as readonly string[]).includes(o.format))
        throw new Error(`--format: ${BRIEFING_FORMATS.join(', ')}; got ${o.format}`);
      const file = await s.briefings.export(
        await systemActor(s),
        Number(id),
        o.format as BriefingFormat,
      );
      const out = o.out ?? file.filename;
      writeFileSync(out, file.bytes);
      console.log(`${out}: ${file.bytes.length} bytes`);
    }),
  );

program.parseAsync().catch((err: unknown) => {
  if (err instanceof AppError) {
    console.error(`${err.messages.vi}\n${err.messages.en}`);
    const problems = (
      err.details as { problems?: { line?: number; path?: string; en: string; vi: string }[] }
    )?.problems;
    for (const p of problems ?? []) {
      // Where: the line of a units file, or the field of a metadata file (dataElements.0.sector).
      const where = p.line !== undefined ? `dòng/line ${p.line}` : (p.path ?? '?');
      console.error(`  ${where}: ${p.vi} / ${p.en}`);
    }
  } else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
