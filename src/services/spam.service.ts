import type { Store } from '../db/store.ts';
import type { SpamReportRow } from '../db/spam.repo.ts';
import { allows, isRootScope, type Actor } from '../domain/access.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import type { RawDataValue } from '../domain/data-value-set.ts';
import { safeCell } from '../domain/spreadsheet.ts';
import { parsePeriod, periodContaining } from '../domain/period.ts';
import {
  checkSpamReport,
  normalizeSpamNumber,
  SPAM_BATCH_MAX,
  SPAM_ELEMENTS,
  type ItemProblem,
  type SpamOperator,
  type SpamReportOk,
} from '../domain/spam.ts';
import type { z } from '@hono/zod-openapi';
import type {
  SpamBlockSummary,
  SpamImportSummary,
  SpamItemResult,
  SpamPublicReceipt,
  SpamTop,
} from '../contract/spam.ts';
import { auditActor } from './audit.ts';
import type { DataValueService } from './data-value.service.ts';
import type { MetadataService } from './metadata.service.ts';
import { SPAM_DATA_ELEMENTS } from './spam.shipped.ts';
import type { Pseudonyms } from './pseudonym.ts';

type Summary = z.infer<typeof SpamImportSummary>;
type ItemResult = z.infer<typeof SpamItemResult>;

/** After an intake, the day's counts are computed again this much later: many intakes, one run (a
 * run writes through the data value service, ~0.1 s of the embedded engine's one connection). */
export const SPAM_COUNT_DELAY_MS = 2_000;
/** Leftovers of a crash, and intakes of other instances, are looked for this often. */
export const SPAM_COUNT_POLL_MS = 5_000;
const DUE_BATCH = 5_000;

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * The 5656 spam line (issue 20). Reports come from operators' gateways (a machine token with
 * `spam.report`, up to 1,000 a request) and from the public page (one, no account). Each is
 * checked on its own: a batch keeps its good items and answers every item accepted, duplicate
 * (its gateway id was stored before) or rejected with its reasons. One transaction and one audit
 * row per request; the rows in one statement.
 *
 * The day's counts (reports, distinct numbers, numbers blocked) become data values at the nation
 * by a job, not one value per report: an intake marks its day due in its own transaction
 * (`spam_count_due`), and the job, a second after an intake and every few seconds, counts the
 * due days from the stored reports and writes them through the data value service — so roll-ups,
 * live screens and alerts follow — then deletes the marks it read. A crash in between leaves the
 * marks; the counts are computed again, never lost, never counted twice.
 */
export class SpamService {
  private readonly poll: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly metadata: MetadataService,
    private readonly dataValues: DataValueService,
    private readonly pseudonyms: Pseudonyms,
    private readonly log: (message: string, error?: unknown) => void = (m, e) =>
      console.error(m, e ?? ''),
  ) {
    this.poll = setInterval(() => void this.countNow(), SPAM_COUNT_POLL_MS);
    this.poll.unref();
  }

  /** Reports from a gateway: one, or `{reports: [...]}` up to 1,000. */
  async intake(actor: Actor, body: unknown, opts: { requestId?: string } = {}): Promise<Summary> {
    if (!allows(actor, 'spam.report')) throw errors.forbidden('spam.report');
    const items =
      typeof body === 'object' && body !== null && 'reports' in body ? body.reports : [body];
    if (!Array.isArray(items) || items.length === 0 || items.length > SPAM_BATCH_MAX)
      throw new AppError('validation_failed', {
        vi: `gửi một phản ánh, hoặc {"reports": [...]} gồm 1 đến ${SPAM_BATCH_MAX.toLocaleString('vi')} phản ánh`,
        en: `send one report, or {"reports": [...]} of 1 to ${SPAM_BATCH_MAX.toLocaleString('en')}`,
      });
    const now = this.clock();
    const results: ItemResult[] = [];
    const good: { index: number; report: SpamReportOk }[] = [];
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const c = checkSpamReport(item, now);
      if (!c.ok) {
        results.push({ index, status: 'rejected', reasons: c.problems });
        return;
      }
      const ext = c.report.externalId;
      if (ext !== null && seen.has(ext)) {
        results.push({ index, status: 'duplicate', number: c.report.number, externalId: ext });
        return;
      }
      if (ext !== null) seen.add(ext);
      good.push({ index, report: c.report });
      results.push({ index, status: 'accepted', number: c.report.number });
    });
    const day = vnDate(now);
    const rejectedCount = results.filter((r) => r.status === 'rejected').length;
    const pseudonym = await this.pseudonyms.maker();
    const rows: SpamReportRow[] = good.map(({ report }) =>
      this.row(report, now, day, pseudonym, {
        source: 'api',
        tokenId: actor.kind === 'token' ? actor.id : `user:${actor.id}`,
      }),
    );
    if (rows.length) {
      const ids = await this.store.transaction(async (tx) => {
        const ids = await tx.spam.insertReports(rows);
        const stored = ids.filter((id): id is number => id !== null);
        if (stored.length === 0) return ids;
        await tx.spam.markDue([day]);
        await tx.audit.record({
          ...auditActor(actor),
          action: 'spam_report.import',
          entityType: 'spam_report',
          entityId: stored.length === 1 ? String(stored[0]) : `${stored[0]}-${stored.at(-1)}`,
          after: {
            received: items.length,
            accepted: stored.length,
            duplicates: items.length - good.length - rejectedCount + (ids.length - stored.length),
            rejected: rejectedCount,
          },
          requestId: opts.requestId,
        });
        return ids;
      });
      good.forEach(({ index, report }, k) => {
        const r = results[index]!;
        const id = ids[k];
        if (id === null || id === undefined) {
          r.status = 'duplicate';
          if (report.externalId) r.externalId = report.externalId;
        } else {
          r.id = id;
          if (report.externalId) r.externalId = report.externalId;
        }
      });
      this.countSoon();
    }
    const count = (s: ItemResult['status']) => results.filter((r) => r.status === s).length;
    const rejected = count('rejected');
    return {
      status: rejected === 0 ? 'OK' : rejected === items.length ? 'ERROR' : 'WARNING',
      received: items.length,
      accepted: count('accepted'),
      duplicates: count('duplicate'),
      rejected,
      results,
    };
  }

  /** One report from the public page: no account; refused whole with its reasons. */
  async publicReport(
    clientAddress: string,
    body: unknown,
    opts: { requestId?: string } = {},
  ): Promise<z.infer<typeof SpamPublicReceipt>> {
    const now = this.clock();
    const c = checkSpamReport(body, now, { externalId: false });
    if (!c.ok) throw invalid(c.problems);
    const day = vnDate(now);
    const pseudonym = await this.pseudonyms.maker();
    const clientHash = pseudonym('spam-client', clientAddress);
    const row = this.row(c.report, now, day, pseudonym, { source: 'web', clientHash });
    const [id] = await this.store.transaction(async (tx) => {
      const ids = await tx.spam.insertReports([row]);
      await tx.spam.markDue([day]);
      await tx.audit.record({
        actorKind: 'system',
        actorId: null,
        actorName: 'public',
        action: 'spam_report.create',
        entityType: 'spam_report',
        entityId: String(ids[0]),
        after: {
          number: row.number,
          kind: row.kind,
          operator: row.operator,
          client: clientHash.slice(0, 12),
        },
        requestId: opts.requestId,
      });
      return ids;
    });
    this.countSoon();
    return { id: id!, number: row.number, kind: c.report.kind, receivedAt: now.toISOString() };
  }

  /** Numbers an operator confirms blocked; a number confirmed again by it is counted once. */
  async block(
    actor: Actor,
    input: { operator: SpamOperator; numbers: string[] },
    opts: { requestId?: string } = {},
  ): Promise<z.infer<typeof SpamBlockSummary>> {
    if (!allows(actor, 'spam.block')) throw errors.forbidden('spam.block');
    const now = this.clock();
    const day = vnDate(now);
    const rejected: z.infer<typeof SpamBlockSummary>['rejected'] = [];
    const numbers = new Set<string>();
    input.numbers.forEach((value, index) => {
      const n = normalizeSpamNumber(value);
      if (n.ok) numbers.add(n.number);
      else rejected.push({ index, value, ...n.reason });
    });
    if (numbers.size === 0)
      throw invalid(rejected.map((r) => ({ field: `numbers.${r.index}`, vi: r.vi, en: r.en })));
    const blocked = await this.store.transaction(async (tx) => {
      const n = await tx.spam.insertBlocks(
        [...numbers].map((number) => ({
          number,
          operator: input.operator,
          blocked_at: now,
          blocked_day: day,
          confirmed_by: actor.name,
        })),
      );
      if (n === 0) return 0;
      await tx.spam.markDue([day]);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'spam_block.create',
        entityType: 'spam_block',
        entityId: input.operator,
        after: { operator: input.operator, numbers: [...numbers], newlyBlocked: n },
        requestId: opts.requestId,
      });
      return n;
    });
    if (blocked) this.countSoon();
    return { blocked, already: numbers.size - blocked, rejected };
  }

  /** The numbers most reported in an ISO week (default this week); the nation's figure. */
  async top(actor: Actor, q: { week?: string; limit: number }): Promise<z.infer<typeof SpamTop>> {
    if (!allows(actor, 'data.read')) throw errors.forbidden('data.read');
    if (!isRootScope(actor.scope)) throw errors.outOfScope();
    let week;
    try {
      week = q.week ? parsePeriod(q.week) : periodContaining(vnDate(this.clock()), 'week');
    } catch {
      week = undefined;
    }
    if (!week || week.type !== 'week')
      throw new AppError(
        'validation_failed',
        { vi: 'tuần theo ISO, ví dụ 2026-W49', en: 'an ISO week, e.g. 2026-W49' },
        { week: q.week },
      );
    const repo = this.store.repos.spam;
    const [rows, totals] = await Promise.all([
      repo.top(week.start, week.end, q.limit),
      repo.totals(week.start, week.end),
    ]);
    const blocks = await repo.blockedBy(rows.map((r) => r.number));
    return {
      week: week.id,
      start: week.start,
      end: week.end,
      totalReports: totals.reports,
      distinctNumbers: totals.numbers,
      items: rows.map((r, i) => ({
        rank: i + 1,
        number: r.number,
        reports: r.reports,
        sms: r.sms,
        calls: r.calls,
        reporters: r.reporters,
        operators: r.operators,
        firstSeen: iso(r.first_seen),
        lastSeen: iso(r.last_seen),
        blocked: blocks.has(r.number),
        blockedBy: blocks.get(r.number) ?? [],
      })),
    };
  }

  private row(
    r: SpamReportOk,
    now: Date,
    day: string,
    pseudonym: (kind: string, value: string) => string,
    from: { source: 'api'; tokenId: string } | { source: 'web'; clientHash: string },
  ): SpamReportRow {
    return {
      number: r.number,
      kind: r.kind,
      content: r.content,
      operator: r.operator,
      reported_at: r.reportedAt.toISOString(),
      received_at: now.toISOString(),
      received_day: day,
      source: from.source,
      token_id: from.source === 'api' ? from.tokenId : null,
      client_hash: from.source === 'web' ? from.clientHash : null,
      reporter_hash: r.reporter ? pseudonym('spam-reporter', r.reporter) : null,
      external_id: from.source === 'api' ? r.externalId : null,
    };
  }

  // — the day's counts as data values

  /** Counts the due days a moment from now, once for many intakes. */
  countSoon(): void {
    if (this.closed || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.countNow();
    }, SPAM_COUNT_DELAY_MS);
    this.soon.unref();
  }

  /** Counts the due days now (after a run under way); resolves when done (tests, bench). */
  async countNow(): Promise<void> {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.countNow());
    }
    this.again = false;
    this.running = this.countDue()
      .catch((e: unknown) => {
        // Before the migrations ran (42P01), or the database closing: the marks stay.
        if (!this.closed && (e as { code?: unknown } | null)?.code !== '42P01')
          this.log('spam counts not written', e);
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async countDue(): Promise<void> {
    const repo = this.store.repos.spam;
    for (;;) {
      const due = await repo.due(DUE_BATCH);
      if (due.length === 0) return;
      await this.installElements();
      const days = [...new Set(due.map((d) => d.day))].sort();
      const values: RawDataValue[] = [];
      for (const day of days) {
        const c = await repo.dayCounts(day);
        const counts: [string, number][] = [
          [SPAM_ELEMENTS.reports, c.reports],
          [SPAM_ELEMENTS.numbers, c.numbers],
          [SPAM_ELEMENTS.blocked, c.blocked],
        ];
        for (const [dataElement, n] of counts)
          values.push({
            index: values.length,
            dataElement,
            period: day,
            orgUnit: ROOT_CODE,
            value: String(n),
          });
      }
      const s = await this.dataValues.import('system', { values }, { atomic: true });
      if (s.status === 'ERROR')
        throw new Error(`spam counts refused: ${JSON.stringify(s.conflicts?.slice(0, 3))}`);
      await repo.doneDue(due.map((d) => d.id));
      if (due.length < DUE_BATCH) return;
    }
  }

  /** The count elements, created the first time counts are written; never changed after. */
  private async installElements(): Promise<void> {
    const codes = SPAM_DATA_ELEMENTS.map((e) => e.code);
    const have = await this.store.repos.spam.elementCodes(codes);
    const missing = SPAM_DATA_ELEMENTS.filter((e) => !have.has(e.code));
    if (missing.length) await this.metadata.apply('system', { dataElements: [...missing] });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
  }
}

function invalid(problems: ItemProblem[]): AppError {
  const first = problems[0];
  return new AppError(
    'validation_failed',
    {
      vi: `Phản ánh không hợp lệ${first ? `: ${first.field ? `${first.field}: ` : ''}${first.vi}` : ''}`,
      en: `Invalid report${first ? `: ${first.field ? `${first.field}: ` : ''}${first.en}` : ''}`,
    },
    { problems },
  );
}

/** The week's list as CSV (a spreadsheet opens it; cells that look like formulas are defused). */
export function topCsv(top: z.infer<typeof SpamTop>): string {
  const cell = (v: string | number | boolean) => {
    const s = typeof v === 'string' ? safeCell(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = [
    'rank',
    'number',
    'reports',
    'sms',
    'calls',
    'reporters',
    'operators',
    'first_seen',
    'last_seen',
    'blocked',
    'blocked_by',
  ];
  const lines = top.items.map((i) =>
    [
      i.rank,
      i.number,
      i.reports,
      i.sms,
      i.calls,
      i.reporters,
      i.operators,
      i.firstSeen,
      i.lastSeen,
      i.blocked,
      i.blockedBy.join(' '),
    ]
      .map(cell)
      .join(','),
  );
  return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
