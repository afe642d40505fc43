import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * DuckDB is a baseline of the benchmarks only, so it is installed when a benchmark needs it
 * rather than with the project: its npm package has no build of its native part for every
 * platform in the registry this project installs from, which would break `npm ci`.
 */
export type DuckDBValue = string | number | boolean | null;

export interface DuckDBConnection {
  run(sql: string, params?: DuckDBValue[]): Promise<unknown>;
  runAndReadAll(
    sql: string,
    params?: DuckDBValue[],
  ): Promise<{ getRowObjects(): Record<string, unknown>[] }>;
  closeSync(): void;
}

export interface DuckDBInstance {
  connect(): Promise<DuckDBConnection>;
  closeSync(): void;
}

const PACKAGE = '@duckdb/node-api';
const VERSION = '1.5.6-r.1';

export async function duckdb(): Promise<{ create(path: string): Promise<DuckDBInstance> }> {
  const load = async () =>
    (
      (await import(PACKAGE)) as {
        DuckDBInstance: { create(path: string): Promise<DuckDBInstance> };
      }
    ).DuckDBInstance;
  try {
    return await load();
  } catch {
    console.error(
      `installing ${PACKAGE}@${VERSION} for the DuckDB baseline (npm install --no-save)…`,
    );
    const r = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', `${PACKAGE}@${VERSION}`],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0)
      throw new Error(`could not install ${PACKAGE}; the DuckDB baseline needs it`);
    // Node remembers that the package was missing: import its entry file by path instead.
    const dir = fileURLToPath(new URL(`../node_modules/${PACKAGE}/`, import.meta.url));
    const main = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string })
      .main;
    return (
      (await import(pathToFileURL(join(dir, main)).href)) as {
        DuckDBInstance: { create(path: string): Promise<DuckDBInstance> };
      }
    ).DuckDBInstance;
  }
}
