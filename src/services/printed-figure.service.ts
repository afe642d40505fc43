import { readFileSync } from 'node:fs';
import type { AuditEntry } from '../db/audit.repo.ts';
import type {
  PrintedFigureFields,
  PrintedFigureRow,
  PrintedFigureWrite,
} from '../db/printed-figure.repo.ts';
import type { PrintedQualifier } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { can, type Actor } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import { versionAt } from '../domain/hierarchy.ts';
import { parsePeriod, type Period } from '../domain/period.ts';
import { auditActor } from './audit.ts';

/**
 * What a source printed about a figure beyond its stored value (issue 18): the qualifier of the
 * printed number ("khoảng", "gần", "hơn") and printed changes no stored value carries — of a
 * breakdown's total, or of a figure printed with no value at all. Written by the demo loader
 * (data/demo/printed.json) and audited; read by analytics (a total's printed change, where it
 * has none of its own) and by the briefing (`printedFigures`).
 */

export const PRINTED_QUALIFIERS: readonly PrintedQualifier[] = ['about', 'nearly', 'over', 'under'];

/** One printed figure, by codes, as data/demo/printed.json and callers give it. */
export interface PrintedFigureInput {
  dataElement: string;
  period: string;
  orgUnit: string;
  /** absent or null: the element's total (for an element without a breakdown, its value) */
  categoryOptionCombo?: string | null;
  /** about: khoảng, ~; nearly: gần; over: hơn, trên; under: dưới */
  qualifier?: PrintedQualifier | null;
  /** the printed change against the same period last year, in percent */
  reportedYoyPct?: number | null;
  /** the printed change against the previous period, in percent */
  reportedPrevPct?: number | null;
  yoyQualifier?: PrintedQualifier | null;
  prevQualifier?: PrintedQualifier | null;
  /** where it was printed: the article and its words */
  source?: string | null;
}

/** A stored printed figure, as the briefing reads it. */
export interface PrintedFigure {
  element: string;
  period: string;
  version: string;
  orgUnit: string;
  /** null: the element's total */
  option: string | null;
  qualifier: PrintedQualifier | null;
  reportedYoyPct: number | null;
  reportedPrevPct: number | null;
  yoyQualifier: PrintedQualifier | null;
  prevQualifier: PrintedQualifier | null;
  source: string | null;
}

export interface PrintedSaveSummary {
  created: number;
  updated: number;
  unchanged: number;
}

const DEMO_FILE = new URL('../../data/demo/printed.json', import.meta.url);

/** The demo's printed figures (built by scripts/build-printed-figures.ts). */
export function readDemoPrinted(): PrintedFigureInput[] {
  const doc = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as { rows: PrintedFigureInput[] };
  return doc.rows;
}

const FIELDS: (keyof PrintedFigureFields)[] = [
  'qualifier',
  'reported_yoy_pct',
  'reported_prev_pct',
  'yoy_qualifier',
  'prev_qualifier',
  'source',
];

const invalid = (index: number, vi: string, en: string, details: Record<string, unknown> = {}) =>
  new AppError(
    'validation_failed',
    { vi: `Số liệu công bố thứ ${index + 1}: ${vi}`, en: `Printed figure ${index + 1}: ${en}` },
    { index, ...details },
  );

function qualifierOf(index: number, field: string, q: unknown): PrintedQualifier | null {
  if (q === undefined || q === null) return null;
  if (PRINTED_QUALIFIERS.includes(q as PrintedQualifier)) return q as PrintedQualifier;
  const given = JSON.stringify(q);
  throw invalid(
    index,
    `${given} không phải là một từ định lượng (${field}: ${PRINTED_QUALIFIERS.join(', ')})`,
    `${given} is not a qualifier (${field}: ${PRINTED_QUALIFIERS.join(', ')})`,
    { field },
  );
}

function pctOf(index: number, field: string, n: unknown): number | null {
  if (n === undefined || n === null) return null;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw invalid(index, `${field} phải là một số`, `${field} must be a number`, { field });
}

const toPrinted = (r: PrintedFigureRow): PrintedFigure => ({
  element: r.element,
  period: r.pid,
  version: r.version,
  orgUnit: r.unit_code,
  option: r.option,
  qualifier: r.qualifier,
  reportedYoyPct: r.reported_yoy_pct,
  reportedPrevPct: r.reported_prev_pct,
  yoyQualifier: r.yoy_qualifier,
  prevQualifier: r.prev_qualifier,
  source: r.source,
});

const fieldsOf = (r: PrintedFigureFields): PrintedFigureFields =>
  Object.fromEntries(FIELDS.map((f) => [f, r[f]])) as unknown as PrintedFigureFields;

export class PrintedFigureService {
  constructor(private readonly store: Store) {}

  /**
   * Writes printed figures by key (element, period, unit, option): new ones created, known ones
   * replaced, identical ones left alone; each change audited in the same transaction. The unit
   * is of `opts.version`, else of the tree in force at the period's start (as value imports
   * place them). All or nothing: an unknown element, option, unit or a bad field refuses all.
   */
  async save(
    actor: Actor | 'system',
    rows: PrintedFigureInput[],
    opts: { version?: string } = {},
  ): Promise<PrintedSaveSummary> {
    if (actor !== 'system' && !can(actor, 'data.write')) throw errors.forbidden('data.write');
    const summary: PrintedSaveSummary = { created: 0, updated: 0, unchanged: 0 };
    if (rows.length === 0) return summary;
    return this.store.transaction(async (tx) => {
      const spans = await tx.dataValues.versionSpans();
      if (opts.version && !spans.some((s) => s.id === opts.version))
        throw errors.unknownVersion(opts.version);
      const periods: Period[] = rows.map((r, i) => {
        try {
          return parsePeriod(r.period);
        } catch {
          throw invalid(i, `kỳ "${r.period}" không hợp lệ`, `invalid period "${r.period}"`);
        }
      });
      const versions = periods.map((p) => opts.version ?? versionAt(spans, p.start)?.id);
      const elements = new Map(
        (await tx.printedFigures.elements([...new Set(rows.map((r) => r.dataElement))])).map(
          (e) => [e.code, e],
        ),
      );
      const optionCodes = rows.flatMap((r) =>
        r.categoryOptionCombo ? [r.categoryOptionCombo] : [],
      );
      const options = new Map(
        (await tx.printedFigures.options([...new Set(optionCodes)])).map((o) => [o.code, o]),
      );
      const unitKeys = rows.map((r, i) => ({ version: versions[i] ?? '', code: r.orgUnit }));
      const units = new Map(
        (await tx.printedFigures.units(unitKeys)).map((u) => [`${u.version}|${u.code}`, u]),
      );
      const periodIds = await tx.dataValues.ensurePeriods(periods);

      const writes: (PrintedFigureWrite & {
        label: string;
        unit: { version: string; code: string };
      })[] = rows.map((r, i) => {
        const element = elements.get(r.dataElement);
        if (!element)
          throw invalid(
            i,
            `không có chỉ tiêu "${r.dataElement}"`,
            `no data element "${r.dataElement}"`,
          );
        let optionId: number | null = null;
        const code = r.categoryOptionCombo ?? null;
        if (code !== null && !(code === 'default' && element.breakdown === 'default')) {
          const o = options.get(code);
          if (!o || o.breakdown_id !== element.breakdown_id)
            throw invalid(
              i,
              `chỉ tiêu ${element.code} không có phân tổ "${code}"`,
              `data element ${element.code} has no breakdown option "${code}"`,
            );
          optionId = o.id;
        }
        const version = versions[i];
        if (!version) throw errors.unknownVersion('(none loaded)');
        const unit = units.get(`${version}|${r.orgUnit}`);
        if (!unit) throw errors.unknownUnit(r.orgUnit, version);
        if (actor !== 'system' && !can(actor, 'data.write', unit))
          throw errors.outOfScope(r.orgUnit, version);
        return {
          element_id: element.id,
          unit_id: unit.id,
          period_id: periodIds.get(periods[i]!.id)!,
          option_id: optionId,
          qualifier: qualifierOf(i, 'qualifier', r.qualifier),
          reported_yoy_pct: pctOf(i, 'reportedYoyPct', r.reportedYoyPct),
          reported_prev_pct: pctOf(i, 'reportedPrevPct', r.reportedPrevPct),
          yoy_qualifier: qualifierOf(i, 'yoyQualifier', r.yoyQualifier),
          prev_qualifier: qualifierOf(i, 'prevQualifier', r.prevQualifier),
          source: r.source ?? null,
          label: [r.dataElement, code, periods[i]!.id, version, r.orgUnit]
            .filter(Boolean)
            .join('|'),
          unit: { version, code: r.orgUnit },
        };
      });

      const before = await tx.printedFigures.at(writes);
      const changed: typeof writes = [];
      const audits: AuditEntry[] = [];
      // The last of two rows at one key wins, as an import's would.
      const byKey = new Map(
        writes.map((w) => [`${w.element_id}|${w.unit_id}|${w.period_id}|${w.option_id}`, w]),
      );
      for (const w of byKey.values()) {
        const old = before.find(
          (b) =>
            b.element_id === w.element_id &&
            b.unit_id === w.unit_id &&
            b.period_id === w.period_id &&
            b.option_id === w.option_id,
        );
        const after = fieldsOf(w);
        if (old && FIELDS.every((f) => old[f] === after[f])) {
          summary.unchanged++;
          continue;
        }
        if (old) summary.updated++;
        else summary.created++;
        changed.push(w);
        audits.push({
          ...auditActor(actor),
          action: old ? 'printed_figure.update' : 'printed_figure.create',
          entityType: 'printed_figure',
          entityId: w.label,
          unit: w.unit,
          ...(old ? { before: fieldsOf(old) } : {}),
          after,
        });
      }
      if (changed.length === 0) return summary;
      await tx.printedFigures.upsert(
        changed.map((w) => ({
          element_id: w.element_id,
          unit_id: w.unit_id,
          period_id: w.period_id,
          option_id: w.option_id,
          ...fieldsOf(w),
        })),
        actor === 'system' ? 'system' : actor.name,
      );
      if (actor === 'system') await tx.audit.recordMany(audits);
      else for (const a of audits) await tx.audit.record(a);
      return summary;
    });
  }

  /** The demo's printed figures (data/demo/printed.json); a second call changes nothing. */
  loadDemo(): Promise<PrintedSaveSummary> {
    return this.save('system', readDemoPrinted());
  }

  /**
   * The printed figures of these elements (codes) at a unit and these periods (canonical ids),
   * for the briefing: one per element, period and option (option null: the element's total).
   * The unit is of `unit.version`; without it, the unit of that code in every tree (the nation,
   * VN, is one unit per tree, and each figure sits on the tree in force at its period).
   */
  async printedFigures(q: {
    elements: string[];
    unit: { code: string; version?: string };
    periods: string[];
  }): Promise<PrintedFigure[]> {
    if (q.elements.length === 0 || q.periods.length === 0) return [];
    const repo = this.store.repos.printedFigures;
    const elements = await repo.elements([...new Set(q.elements)]);
    const unitIds = q.unit.version
      ? (await repo.units([{ version: q.unit.version, code: q.unit.code }])).map((u) => u.id)
      : await this.store.repos.sectors.nationalUnitIds(q.unit.code);
    const rows = await repo.read({
      elementIds: elements.map((e) => e.id),
      unitIds,
      pids: [...new Set(q.periods)],
    });
    return rows.map(toPrinted);
  }
}
