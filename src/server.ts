import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './api/app.ts';
import { openDatabase, type Database } from './db/client.ts';
import type { Config } from './config.ts';
import { createServices, type Services } from './services/index.ts';
import { ensureAdmin, prepareDatabase, type Progress } from './services/bootstrap.ts';
import { loadDemoData } from './jobs/demo-data.ts';
import { loadDemoBoard } from './jobs/demo-board.ts';
import { loadDemoReports } from './jobs/demo-reports.ts';

export interface Running {
  services: Services;
  server: ServerType;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function openConfigured(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'queueLimit'>>,
): Promise<Database> {
  const queueLimit = config.queueLimit;
  // Its callers (the CLI) hold the data directory's lock: a killed import's files can go.
  return openDatabase(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, queueLimit }
      : { dataDir: config.dataDir, queueLimit, reclaimOrphans: true },
  );
}

/** Opens the database, migrates, loads the hierarchy on first start, and listens. */
export async function startServer(
  config: Config,
  opts: { progress?: Progress; log?: (line: string) => void; database?: Database } = {},
): Promise<Running> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const database = opts.database ?? (await openConfigured(config));
  const reclaimed = database.reclaimed;
  if (reclaimed?.files)
    log(
      `Đã thu hồi / reclaimed ${(reclaimed.bytes / 2 ** 20).toFixed(1)} MB in ${reclaimed.files} files left by an interrupted process`,
    );
  const services = createServices(database, { notify: config.notify });
  await prepareDatabase(services, opts.progress);
  const admin = await ensureAdmin(services, config.adminPassword);
  if (admin.created) {
    log(
      admin.password
        ? `Tài khoản quản trị / admin account: admin, mật khẩu / password: ${admin.password}  (shown once; set OPSROOM_ADMIN_PASSWORD to choose it)`
        : 'Tài khoản quản trị / admin account: admin, with the password in OPSROOM_ADMIN_PASSWORD',
    );
  }
  if (config.demo) {
    if (!(await services.store.repos.analytics.anyValue())) {
      const r = await loadDemoData(services, {
        onProgress: (step, done, total) => opts.progress?.(`demo data: ${step}`, done, total),
      });
      const provinces = r.provinceDays.values
        ? `, ${r.provinceDays.values.toLocaleString('en')} per province ${r.provinceDays.from} … ${r.provinceDays.to}`
        : '';
      log(
        `Dữ liệu mẫu / demo data: seed figures and ${r.values.toLocaleString('en')} daily values for ${r.communes.toLocaleString('en')} communes, ${r.from} … ${r.to}${provinces} (${(r.ms.total / 1000).toFixed(1)} s)`,
      );
    }
    await loadDemoBoard(services);
    const reports = config.demoReports ? await loadDemoReports(services) : { created: 0 };
    if (reports.created)
      log(
        `Phản ánh mẫu / demo citizens' reports: ${reports.created} in Hà Nội and Hồ Chí Minh City`,
      );
  }
  const app = createApp(services, {
    edge: { proxies: config.trustProxy, secureCookies: config.secureCookies },
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;
  return {
    services,
    server,
    port,
    url,
    stop: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await database.close();
    },
  };
}
