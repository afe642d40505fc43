import { resolve } from 'node:path';

/** Settings from the environment; the names are part of the interface scripts rely on. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  adminPassword?: string;
  /** Load the demo data on a new database (OPSROOM_DEMO=0 to start empty). */
  demo: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.OPSROOM_DATA_DIR ?? '.opsroom-data'),
    adminPassword: env.OPSROOM_ADMIN_PASSWORD || undefined,
    demo: env.OPSROOM_DEMO !== '0',
  };
}
