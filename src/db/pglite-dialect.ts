import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { Line } from './line.ts';

/**
 * Kysely dialect for the embedded PGlite engine. PGlite is a single connection, so the driver
 * hands it out to one caller at a time: a transaction never interleaves with another request.
 */
export class PGliteDialect implements Dialect {
  private driver?: PGliteDriver;
  constructor(private readonly pg: PGlite) {}
  /** Writes committed so far (see request-context.ts: writeGeneration). */
  get generation(): number {
    return this.driver?.generation ?? 0;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return (this.driver = new PGliteDriver(this.pg));
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

/** One connection, handed out in line (line.ts). */
class PGliteDriver implements Driver {
  /** Writes committed: bumped after each commit and each write outside a transaction. */
  generation = 0;
  private inTransaction = false;
  private readonly line = new Line(1);
  private readonly connection: PGliteConnection;
  constructor(pg: PGlite) {
    this.connection = new PGliteConnection(pg, (query) => {
      if (!this.inTransaction && !readOnly(query)) this.generation++;
    });
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.line.enter();
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    this.inTransaction = true; // `begin` itself changes nothing
    await conn.executeQuery(CompiledQuery.raw(`begin${level}`));
  }
  async commitTransaction(conn: DatabaseConnection) {
    try {
      await conn.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.inTransaction = false;
      this.generation++;
    }
  }
  async rollbackTransaction(conn: DatabaseConnection) {
    try {
      await conn.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.inTransaction = false;
    }
  }
  releaseConnection() {
    this.line.leave();
    return Promise.resolve();
  }
  async destroy() {}
}

/**
 * Whether a statement surely changes nothing: a select built by Kysely, or raw SQL that is a
 * select (or `with … select`) naming no writing keyword. Anything else counts as a write:
 * counting too many only coalesces less.
 */
function readOnly(q: CompiledQuery): boolean {
  if (q.query.kind === 'SelectQueryNode') return true;
  return (
    q.query.kind === 'RawNode' &&
    /^\s*(select|with)\b/i.test(q.sql) &&
    !/\b(insert|update|delete|merge|into|copy|create|drop|alter|truncate|nextval|setval)\b/i.test(
      q.sql,
    )
  );
}

class PGliteConnection implements DatabaseConnection {
  constructor(
    private readonly pg: PGlite,
    private readonly executed: (q: CompiledQuery) => void,
  ) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.run<R>(compiled);
    } finally {
      this.executed(compiled);
    }
  }
  private async run<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, the simple protocol: a migration file may hold many statements.
    const result =
      compiled.parameters.length === 0
        ? ((await this.pg.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      numAffectedRows: affected === undefined ? undefined : BigInt(affected),
    };
  }
  // eslint-disable-next-line require-yield, @typescript-eslint/require-await
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite');
  }
}
