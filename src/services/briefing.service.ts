import type {
  BriefingDetail,
  BriefingFormat,
  BriefingSummary,
  BriefingTemplate as Template,
  BriefingTemplateLine,
  BriefingTemplateList,
} from '../contract/briefing.ts';
import { BriefingTemplate as TemplateSchema } from '../contract/briefing.ts';
import type { Store } from '../db/store.ts';
import { can, type Actor } from '../domain/access.ts';
import {
  applyEdits,
  briefingPeriod,
  briefingYearToDate,
  corrections,
  defaultTemplate,
  differences,
  figureKey,
  type BriefingEdit,
} from '../domain/briefing.ts';
import type {
  BriefingChange,
  BriefingCompleteness,
  BriefingDocument,
  BriefingFigure,
  BriefingScale,
  BriefingSection,
  FigureQualifier,
} from '../domain/briefing-document.ts';
import { writeFigure } from '../domain/briefing-wording.ts';
import { AppError, errors } from '../domain/errors.ts';
import { ROOT_CODE, type OrgUnit } from '../domain/hierarchy.ts';
import {
  formatPeriodEn,
  formatPeriodVi,
  previousPeriod,
  samePeriodLastYear,
  type Period,
} from '../domain/period.ts';
import { SECTOR_PAGES } from '../domain/sector.ts';
import type { AnalyticsService, Cell } from './analytics.service.ts';
import { auditActor } from './audit.ts';
import { briefingCsv } from './briefing-csv.ts';
import { briefingDocx } from './briefing-docx.ts';
import type { PdfPrinter } from './briefing-pdf.ts';
import { briefingXlsx } from './briefing-xlsx.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import type { ReportingService } from './reporting.service.ts';
import type { PrintedFigure, PrintedFigureService } from './printed-figure.service.ts';

/**
 * The monthly briefing (issue 18): templates (metadata), briefings written from analytics for a
 * period and a scope unit, an analyst's edits, issuing (the whole document frozen in one
 * snapshot, numbered, audited, announced live), revisions with their corrections, and the
 * exports, all made from one `BriefingDocument`. Reading a briefing needs `data.read` on its
 * scope unit; writing one, `briefing.issue` there too.
 */

type Row = NonNullable<Awaited<ReturnType<Store['repos']['briefings']['byId']>>>;

export interface BriefingFile {
  bytes: Uint8Array;
  contentType: string;
  filename: string;
}

const CONTENT_TYPES: Record<BriefingFormat, string> = {
  json: 'application/json; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
};

const iso = (d: Date | string | null): string | null =>
  d === null ? null : new Date(d).toISOString();

export class BriefingService {
  constructor(
    private readonly store: Store,
    private readonly analytics: AnalyticsService,
    private readonly hierarchy: HierarchyService,
    private readonly reporting: ReportingService,
    private readonly printer: PdfPrinter,
    private readonly printed: PrintedFigureService,
  ) {}

  // — templates

  async listTemplates(actor: Actor): Promise<BriefingTemplateList> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const rows = await this.store.repos.briefings.templates();
    return {
      items: rows.map((r) => {
        const t = r.body as Template;
        return {
          code: r.code,
          nameVi: t.nameVi,
          nameEn: t.nameEn,
          sections: t.sections.length,
          lines: t.sections.reduce((n, s) => n + s.lines.length, 0),
          updatedAt: iso(r.updated_at)!,
          updatedBy: r.updated_by,
        };
      }),
    };
  }

  async template(actor: Actor, code: string): Promise<Template> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const r = await this.store.repos.briefings.template(code);
    if (!r) throw errors.notFound(`briefing template ${code}`);
    return r.body as Template;
  }

  /**
   * Creates or replaces a template (by code). Refused whole, naming the line, when a line names
   * an unknown element or indicator, an option its element lacks, or repeats an id. Audited.
   */
  async saveTemplate(
    actor: Actor | 'system',
    input: unknown,
    ctx: { requestId?: string } = {},
  ): Promise<Template> {
    if (actor !== 'system' && !can(actor, 'metadata.manage'))
      throw errors.forbidden('metadata.manage');
    const parsed = TemplateSchema.safeParse(input);
    if (!parsed.success)
      throw new AppError(
        'validation_failed',
        {
          vi: `Mẫu báo cáo không hợp lệ: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
          en: `Invalid briefing template: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
        },
        { issues: parsed.error.issues },
      );
    const t = parsed.data;
    await this.checkLines(t);
    return this.store.transaction(async (tx) => {
      const before = await tx.briefings.template(t.code);
      const id = await tx.briefings.saveTemplate(
        t.code,
        t,
        actor === 'system' ? 'system' : actor.name,
      );
      await tx.audit.record({
        ...auditActor(actor),
        action: before ? 'briefing_template.update' : 'briefing_template.create',
        entityType: 'briefing_template',
        entityId: String(id),
        before: before?.body ?? null,
        after: t,
        requestId: ctx.requestId,
      });
      return t;
    });
  }

  private async checkLines(t: Template): Promise<void> {
    const lines = t.sections.flatMap((s) => s.lines.map((l) => ({ section: s.code, line: l })));
    const seen = new Set<string>();
    for (const { section, line } of lines) {
      if (seen.has(line.id)) throw badLine(section, line, 'id repeated', 'mã dòng bị lặp');
      seen.add(line.id);
    }
    const items = await this.store.repos.briefings.items([
      ...new Set(lines.map((l) => l.line.item)),
    ]);
    const byCode = new Map(items.map((i) => [i.code, i]));
    const options = await this.store.repos.briefings.options([
      ...new Set(items.flatMap((i) => (i.breakdown ? [i.breakdown] : []))),
    ]);
    for (const { section, line } of lines) {
      const item = byCode.get(line.item);
      if (!item)
        throw badLine(
          section,
          line,
          `no element or indicator ${line.item}`,
          `không có chỉ tiêu hay chỉ số ${line.item}`,
        );
      if ((line.option || line.breakdown) && item.kind !== 'element')
        throw badLine(section, line, 'an indicator has no breakdown', 'chỉ số không có phân tổ');
      if (line.breakdown && !item.breakdown)
        throw badLine(
          section,
          line,
          `${item.code} has no breakdown`,
          `${item.code} không có phân tổ`,
        );
      if (
        line.option &&
        !options.some((o) => o.breakdown === item.breakdown && o.code === line.option)
      )
        throw badLine(
          section,
          line,
          `${item.code} has no option ${line.option}`,
          `${item.code} không có phân tổ ${line.option}`,
        );
    }
  }

  /**
   * The default template of the demo (the seven sectors' elements that hold values), unless a
   * template of its code exists (an analyst may have changed it).
   */
  async installDefaultTemplate(): Promise<Template> {
    const known = await this.store.repos.briefings.template('MIC_MONTHLY');
    if (known) return known.body as Template;
    const els = await this.store.repos.briefings.sectorElements(SECTOR_PAGES);
    return this.saveTemplate(
      'system',
      defaultTemplate(
        els.map((e) => ({
          code: e.code,
          sector: e.sector,
          unit: e.unit,
          breakdown: e.breakdown,
          aggTime: e.agg_time,
        })),
      ),
    );
  }

  // — briefings

  async list(actor: Actor): Promise<{ items: BriefingSummary[] }> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const root = actor.scope.code === ROOT_CODE;
    const rows = await this.store.repos.briefings.list({
      underPaths: root ? null : [{ version: actor.scope.version, path: actor.scope.path }],
      limit: 500,
    });
    const templates = new Map<number, Template>();
    const out: BriefingSummary[] = [];
    for (const r of rows) out.push(await this.summary(r, templates));
    return { items: out };
  }

  /**
   * A briefing with its document; for an issued one, what the data now gives otherwise (the
   * document written again), unless `compare` is false (just issued: nothing can differ yet).
   */
  async get(actor: Actor, id: number, { compare = true } = {}): Promise<BriefingDetail> {
    const row = await this.readable(actor, id);
    const document = await this.document(actor, row);
    const changed =
      row.status === 'issued' && compare
        ? differences(document, await this.write(actor, row, await this.templateOf(row)))
        : [];
    const revisions = await this.store.repos.briefings.series(row.series_id ?? row.id);
    const templates = new Map<number, Template>();
    return {
      ...(await this.summary(row, templates)),
      document,
      changedSinceIssue: changed,
      revisions: await Promise.all(revisions.map((r) => this.summary(r, templates))),
    };
  }

  /** A draft for a template, period and scope unit (default: the caller's). */
  async create(
    actor: Actor,
    q: { template: string; period: string; unit?: string; version?: string },
    ctx: { requestId?: string } = {},
  ): Promise<BriefingDetail> {
    mayWrite(actor);
    const period = briefingPeriod(q.period);
    const t = await this.store.repos.briefings.template(q.template);
    if (!t) throw errors.notFound(`briefing template ${q.template}`);
    const version = await this.hierarchy.resolveVersion(
      q.version ?? (actor.scope.code === ROOT_CODE ? undefined : actor.scope.version),
      period.end,
    );
    const code = q.unit ?? (actor.scope.code === ROOT_CODE ? ROOT_CODE : actor.scope.code);
    const unit = await this.store.repos.orgUnits.get(version, code, this.hierarchy.today());
    if (!unit) throw errors.unknownUnit(code, version);
    if (!can(actor, 'briefing.issue', unit)) throw errors.outOfScope(code, version);
    const id = await this.store.transaction(async (tx) => {
      const id = await tx.briefings.create({
        seriesId: null,
        revision: 0,
        templateId: t.id,
        period: period.id,
        version,
        unitCode: unit.code,
        path: unit.path,
        number: null,
        edits: {},
        by: actor.name,
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'briefing.create',
        entityType: 'briefing',
        entityId: String(id),
        unit: { version, code: unit.code },
        after: { template: t.code, period: period.id },
        requestId: ctx.requestId,
      });
      return id;
    });
    return this.get(actor, id);
  }

  /** An analyst's words for one paragraph of a draft; kept, flagged when its figure changes. */
  async edit(
    actor: Actor,
    id: number,
    lineId: string,
    text: { vi: string; en?: string },
    ctx: { requestId?: string } = {},
  ): Promise<BriefingDetail> {
    const row = await this.writable(actor, id);
    const doc = await this.write(actor, row, await this.templateOf(row));
    const p = doc.sections.flatMap((s) => s.paragraphs).find((x) => x.id === lineId);
    if (!p) throw errors.notFound(`briefing line ${lineId}`);
    const edits = { ...(row.edits as Record<string, BriefingEdit>) };
    const edit: BriefingEdit = {
      vi: text.vi,
      en: text.en ?? p.en,
      against: figureKey(p.figure),
      by: actor.name,
      at: new Date().toISOString(),
    };
    edits[lineId] = edit;
    await this.store.transaction(async (tx) => {
      await tx.briefings.setEdits(id, edits);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'briefing.edit',
        entityType: 'briefing',
        entityId: String(id),
        unit: { version: row.version, code: row.unit_code },
        before: { line: lineId, vi: p.vi, en: p.en },
        after: { line: lineId, vi: edit.vi, en: edit.en },
        requestId: ctx.requestId,
      });
    });
    return this.get(actor, id);
  }

  /**
   * Issues a draft: every figure and sentence stored as they read now, with a number (a
   * revision keeps its series' number), the date and the issuer; announced live to the units of
   * its scope. An issued briefing is refused (make a revision).
   */
  async issue(actor: Actor, id: number, ctx: { requestId?: string } = {}): Promise<BriefingDetail> {
    const row = await this.writable(actor, id);
    const t = await this.templateOf(row);
    const doc = await this.write(actor, row, t);
    const at = new Date();
    await this.store.transaction(async (tx) => {
      const year = Number(this.hierarchy.today().slice(0, 4));
      const number =
        row.revision > 0 && row.series_id !== null
          ? ((await tx.briefings.byId(row.series_id))?.number ?? null)
          : `${await tx.briefings.nextNumber(year, t.numberSuffix)}/${t.numberSuffix}`;
      if (!number) throw alreadyIssued(id);
      const issued: BriefingDocument = {
        ...doc,
        status: 'issued',
        number,
        date: this.hierarchy.today(),
        issuer: actor.displayName ?? actor.name,
        ...(doc.closing
          ? { closing: { ...doc.closing, name: actor.displayName ?? actor.name } }
          : {}),
      };
      if (!(await tx.briefings.issue(id, { snapshot: issued, number, by: actor.name, at })))
        throw alreadyIssued(id);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'briefing.issue',
        entityType: 'briefing',
        entityId: String(id),
        unit: { version: row.version, code: row.unit_code },
        after: { number, revision: row.revision, period: row.period },
        requestId: ctx.requestId,
      });
      await tx.alerts.queueLive([
        {
          topic: 'briefing',
          scope: { version: row.version, path: row.path },
          payload: {
            briefingId: id,
            number,
            revision: row.revision,
            period: row.period,
            titleVi: issued.titleVi,
            unit: { version: row.version, code: row.unit_code },
          },
        },
      ]);
    });
    // Written from this document a moment ago: reading it again would only double the work.
    return this.get(actor, id, { compare: false });
  }

  /**
   * A revision of an issued briefing: a new draft of the series, the next revision number, the
   * analyst's edits carried over; it lists the figures corrected since the revision before.
   */
  async revise(
    actor: Actor,
    id: number,
    ctx: { requestId?: string } = {},
  ): Promise<BriefingDetail> {
    const row = await this.readable(actor, id, 'briefing.issue');
    if (row.status !== 'issued')
      throw new AppError(
        'conflict',
        {
          vi: `Báo cáo ${id} đang là dự thảo: sửa trực tiếp, không cần điều chỉnh`,
          en: `Briefing ${id} is a draft: edit it; a revision is made of an issued briefing`,
        },
        { id },
      );
    const seriesId = row.series_id ?? row.id;
    const series = await this.store.repos.briefings.series(seriesId);
    const last = series[series.length - 1]!;
    if (last.status === 'draft') return this.get(actor, last.id); // one open revision at a time
    const newId = await this.store.transaction(async (tx) => {
      const newId = await tx.briefings.create({
        seriesId,
        revision: last.revision + 1,
        templateId: row.template_id,
        period: row.period,
        version: row.version,
        unitCode: row.unit_code,
        path: row.path,
        number: null,
        edits: last.edits,
        by: actor.name,
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'briefing.revise',
        entityType: 'briefing',
        entityId: String(newId),
        unit: { version: row.version, code: row.unit_code },
        after: { series: seriesId, revision: last.revision + 1 },
        requestId: ctx.requestId,
      });
      return newId;
    });
    return this.get(actor, newId);
  }

  /** The briefing as a file; an issued one from its snapshot only, the same bytes each time. */
  async export(actor: Actor, id: number, format: BriefingFormat): Promise<BriefingFile> {
    const row = await this.readable(actor, id);
    const doc = await this.document(actor, row);
    const name = `bao-cao-${row.period}-${row.unit_code}${row.revision ? `-dc${row.revision}` : ''}${row.status === 'draft' ? '-du-thao' : ''}`;
    const bytes =
      format === 'docx'
        ? await briefingDocx(doc)
        : format === 'xlsx'
          ? await briefingXlsx(doc)
          : format === 'pdf'
            ? await this.printer.print(doc)
            : new TextEncoder().encode(
                format === 'csv' ? briefingCsv(doc) : JSON.stringify(doc, null, 2),
              );
    return { bytes, contentType: CONTENT_TYPES[format], filename: `${name}.${format}` };
  }

  // — reading and writing documents

  private async readable(
    actor: Actor,
    id: number,
    action: 'data.read' | 'briefing.issue' = 'data.read',
  ) {
    if (action === 'briefing.issue') mayWrite(actor);
    else if (!can(actor, action)) throw errors.forbidden(action);
    const row = await this.store.repos.briefings.byId(id);
    // Outside the caller's scope a briefing is not found: its existence is not told.
    if (!row || !can(actor, 'data.read', { version: row.version, path: row.path }))
      throw errors.notFound(`briefing ${id}`);
    if (!can(actor, action, { version: row.version, path: row.path }))
      throw errors.outOfScope(row.unit_code, row.version);
    return row;
  }

  private async writable(actor: Actor, id: number) {
    const row = await this.readable(actor, id, 'briefing.issue');
    if (row.status !== 'draft') throw alreadyIssued(id);
    return row;
  }

  private async templateOf(row: Row): Promise<Template> {
    const t = await this.store.repos.briefings.templateById(row.template_id);
    return t!.body as Template;
  }

  /** An issued briefing's snapshot; a draft written now, with its edits. */
  private async document(actor: Actor, row: Row): Promise<BriefingDocument> {
    if (row.status === 'issued')
      return (await this.store.repos.briefings.snapshot(row.id)) as BriefingDocument;
    const doc = await this.write(actor, row, await this.templateOf(row));
    if (row.revision > 0 && row.series_id !== null) {
      const series = await this.store.repos.briefings.series(row.series_id);
      const before = series.filter((r) => r.status === 'issued' && r.revision < row.revision).pop();
      if (before)
        doc.corrections = corrections(
          (await this.store.repos.briefings.snapshot(before.id)) as BriefingDocument,
          doc,
        );
    }
    return doc;
  }

  /** Writes the document from the data as it is now (a draft, or the "now" of an issued one). */
  private async write(actor: Actor, row: Row, t: Template): Promise<BriefingDocument> {
    const period = briefingPeriod(row.period);
    const unit = await this.store.repos.orgUnits.get(
      row.version,
      row.unit_code,
      this.hierarchy.today(),
    );
    if (!unit) throw errors.unknownUnit(row.unit_code, row.version);
    const sections = await this.figures(actor, t, period, unit);
    const doc: BriefingDocument = {
      id: row.id,
      status: 'draft',
      revision: row.revision,
      number: null,
      bodyVi: t.bodyVi,
      parentBodyVi: t.parentBodyVi ?? null,
      place: t.place,
      date: this.hierarchy.today(),
      issuer: null,
      titleVi: `${t.nameVi} ${formatPeriodVi(period)}`,
      titleEn: `${t.nameEn}, ${formatPeriodEn(period)}`,
      period: { id: period.id, labelVi: formatPeriodVi(period), labelEn: formatPeriodEn(period) },
      scope: {
        version: row.version,
        code: unit.code,
        nameVi: unit.code === ROOT_CODE ? 'Toàn quốc' : unit.fullName,
      },
      sections,
      completeness: await this.completeness(actor, period, unit),
      corrections: [],
      annex: await this.annex(actor, t, period, unit),
      ...(t.signer || t.recipients
        ? {
            closing: {
              authorityVi: t.signer?.authorityVi ?? null,
              titleVi: t.signer?.titleVi ?? '',
              name: null,
              recipients: t.recipients ?? [],
            },
          }
        : {}),
    };
    if (row.status === 'draft') applyEdits(doc, row.edits as Record<string, BriefingEdit>);
    return doc;
  }

  private async figures(
    actor: Actor,
    t: Template,
    period: Period,
    unit: OrgUnit,
  ): Promise<BriefingSection[]> {
    const lines = t.sections.flatMap((s) => s.lines);
    const items = new Map(
      (await this.store.repos.briefings.items([...new Set(lines.map((l) => l.item))])).map((i) => [
        i.code,
        i,
      ]),
    );
    const options = await this.store.repos.briefings.options([
      ...new Set([...items.values()].flatMap((i) => (i.breakdown ? [i.breakdown] : []))),
    ]);
    const optionsOf = (l: BriefingTemplateLine) => {
      const b = items.get(l.item)?.breakdown;
      return l.breakdown && b ? options.filter((o) => o.breakdown === b) : [];
    };
    const dx = [
      ...new Set(
        lines.flatMap((l) => [
          l.option ? `${l.item}.${l.option}` : l.item,
          ...optionsOf(l).map((o) => `${l.item}.${o.code}`),
        ]),
      ),
    ];
    const ytd = briefingYearToDate(period);
    const cells = dx.length
      ? (
          await this.analytics.query(
            actor,
            {
              dx,
              pe: [period.id, ...(ytd ? [ytd.id] : [])],
              ou: [unit.code],
              version: unit.version,
            },
            { changes: true },
          )
        ).cells
      : [];
    const cell = (dxId: string, pe: string) =>
      cells.find((c) => c.dx === dxId && c.pe === pe && c.ou === unit.code);
    const estimates = await this.store.repos.briefings.estimates(
      [...items.values()].filter((i) => i.kind === 'element').map((i) => i.id),
      unit.version,
      unit.code,
      period.start,
      period.end,
    );
    // How the source printed a figure and its changes ("hơn", "khoảng"): kept in every sentence.
    const printed = await this.printed.printedFigures({
      elements: [...items.values()].filter((i) => i.kind === 'element').map((i) => i.code),
      unit: { code: unit.code, version: unit.version },
      periods: [period.id],
    });
    const printedOf = (element: string, option: string | null) =>
      printed.find((p) => p.element === element && p.option === option);
    const yoyPeriod = samePeriodLastYear(period);
    const prevPeriod = previousPeriod(period);
    const labels = {
      yoy: {
        vi: `cùng kỳ năm ${yoyPeriod.end.slice(0, 4)}`,
        en: `the same period of ${yoyPeriod.end.slice(0, 4)}`,
      },
      prev: { vi: formatPeriodVi(prevPeriod), en: formatPeriodEn(prevPeriod) },
    };
    const change = (
      c: Cell | undefined,
      which: 'yoy' | 'prev',
      scale: number,
      p: PrintedFigure | undefined,
    ): BriefingChange => {
      // Analytics answers no cell where no value is stored: a change the source printed alone
      // ("tăng trưởng khoảng 30%", postal, January 2022) is still printed, as reported.
      const printedPct = (which === 'yoy' ? p?.reportedYoyPct : p?.reportedPrevPct) ?? null;
      const ch =
        (which === 'yoy' ? c?.yoy : c?.pop) ??
        (printedPct === null ? undefined : { pct: printedPct, source: 'reported', previous: null });
      const pct = ch?.pct ?? null;
      const q = qualifierOf(which === 'yoy' ? p?.yoyQualifier : p?.prevQualifier);
      return {
        pct,
        ...(ch?.source === 'reported' && q !== 'exact' ? { qualifier: q } : {}),
        source: pct === null ? 'none' : (ch?.source ?? 'none'),
        earlier: ch?.previous === null || ch?.previous === undefined ? null : ch.previous / scale,
        periodVi: labels[which].vi,
        periodEn: labels[which].en,
      };
    };
    return t.sections.map((s) => ({
      code: s.code,
      titleVi: s.titleVi,
      titleEn: s.titleEn,
      table: s.table ?? false,
      paragraphs: s.lines.map((l) => {
        const item = items.get(l.item)!;
        const scale = (l.scale ?? 1) as BriefingScale;
        const dxId = l.option ? `${l.item}.${l.option}` : l.item;
        const c = cell(dxId, period.id);
        const scaled = (v: number | null | undefined) =>
          v === null || v === undefined ? null : v / scale;
        const p = printedOf(l.item, l.option ?? null);
        const option = l.option
          ? options.find((o) => o.breakdown === item.breakdown && o.code === l.option)
          : undefined;
        const figure: BriefingFigure = {
          lineId: l.id,
          item: l.item,
          labelVi: l.labelVi ?? (option ? `${item.name_vi}: ${option.name_vi}` : item.name_vi),
          labelEn: l.labelEn ?? (option ? `${item.name_en}: ${option.name_en}` : item.name_en),
          unitVi: l.unitVi ?? item.unit,
          unitEn: l.unitEn ?? null,
          scale,
          value: scaled(c?.value),
          estimate: estimates.has(item.id),
          qualifier: qualifierOf(p?.qualifier),
          periodVi: null,
          periodEn: null,
          yoy: l.compare.includes('yoy') ? change(c, 'yoy', scale, p) : null,
          prev: l.compare.includes('prev') ? change(c, 'prev', scale, p) : null,
          ytd:
            l.compare.includes('ytd') && ytd
              ? {
                  value: scaled(cell(dxId, ytd.id)?.value),
                  periodVi: formatPeriodVi(ytd),
                  periodEn: formatPeriodEn(ytd),
                }
              : null,
          target:
            l.compare.includes('target') && c?.target
              ? { share: c.target.share, value: c.target.value / scale }
              : null,
          options: optionsOf(l).map((o) => {
            const oc = cell(`${l.item}.${o.code}`, period.id);
            return {
              code: o.code,
              labelVi: o.name_vi,
              labelEn: o.name_en,
              value: scaled(oc?.value),
              qualifier: qualifierOf(printedOf(l.item, o.code)?.qualifier),
              yoy: null,
              prev: null,
            };
          }),
        };
        const words = writeFigure(figure);
        return { id: l.id, vi: words.vi, en: words.en, edited: false, needsReview: false, figure };
      }),
    }));
  }

  /** Every data set reporting by the briefing's period type in its tree: on time, late, missing. */
  private async completeness(
    actor: Actor,
    period: Period,
    unit: OrgUnit,
  ): Promise<BriefingCompleteness[]> {
    const sets = (await this.store.repos.reporting.dataSets()).filter(
      (d) => d.period_type === period.type && d.version === unit.version,
    );
    const out: BriefingCompleteness[] = [];
    for (const d of sets) {
      const c = await this.reporting.completeness(actor, {
        dataSet: d.code,
        period: period.id,
        orgUnit: unit.code,
      });
      if (c.expected === 0) continue;
      out.push({
        dataSet: d.code,
        nameVi: d.name_vi,
        nameEn: d.name_en,
        expected: c.expected,
        onTime: c.onTime,
        late: c.reported - c.onTime,
        missing: c.expected - c.reported,
        lateUnits: c.late.map((u) => u.fullName),
        missingUnits: c.missing.map((u) => u.fullName),
      });
    }
    return out;
  }

  /** Every line's value (not its breakdown) for every unit one level below the scope. */
  private async annex(actor: Actor, t: Template, period: Period, unit: OrgUnit) {
    const lines = t.sections.flatMap((s) => s.lines);
    const children = await this.store.repos.orgUnits.list({
      version: unit.version,
      parentCode: unit.code,
      asOf: this.hierarchy.today(),
      scope: { all: true, path: '/' },
      limit: 5000,
      offset: 0,
    });
    const names = await this.store.repos.briefings.items([...new Set(lines.map((l) => l.item))]);
    const byCode = new Map(names.map((n) => [n.code, n]));
    const columns = lines.map((l) => ({
      lineId: l.id,
      labelVi: l.labelVi ?? byCode.get(l.item)?.name_vi ?? l.item,
      labelEn: l.labelEn ?? byCode.get(l.item)?.name_en ?? l.item,
      unitVi: l.unitVi ?? byCode.get(l.item)?.unit ?? null,
    }));
    if (children.items.length === 0 || lines.length === 0) return { columns, rows: [] };
    const dx = [...new Set(lines.map((l) => (l.option ? `${l.item}.${l.option}` : l.item)))];
    const { cells } = await this.analytics.query(actor, {
      dx,
      pe: [period.id],
      ou: children.items.map((c) => c.code),
      version: unit.version,
    });
    const value = new Map(cells.map((c) => [`${c.dx}|${c.ou}`, c.value]));
    return {
      columns,
      rows: children.items.map((c) => ({
        code: c.code,
        nameVi: c.fullName,
        values: lines.map((l) => {
          const v = value.get(`${l.option ? `${l.item}.${l.option}` : l.item}|${c.code}`);
          return v === undefined || v === null ? null : v / (l.scale ?? 1);
        }),
      })),
    };
  }

  private async summary(r: Row, templates: Map<number, Template>): Promise<BriefingSummary> {
    let t = templates.get(r.template_id);
    if (!t) {
      t = await this.templateOf(r);
      templates.set(r.template_id, t);
    }
    const period = briefingPeriod(r.period);
    return {
      id: r.id,
      seriesId: r.series_id ?? r.id,
      revision: r.revision,
      template: r.template_code,
      period: r.period,
      periodLabelVi: formatPeriodVi(period),
      version: r.version,
      unit: r.unit_code,
      status: r.status,
      number: r.number,
      titleVi: `${t.nameVi} ${formatPeriodVi(period)}`,
      createdBy: r.created_by,
      createdAt: iso(r.created_at)!,
      issuedBy: r.issued_by,
      issuedAt: iso(r.issued_at),
    };
  }
}

/** A printed qualifier in the document's words: "gần" (nearly) is an upper bound. */
function qualifierOf(q: PrintedFigure['qualifier'] | undefined): FigureQualifier {
  if (q === 'about' || q === 'over') return q;
  if (q === 'nearly' || q === 'under') return 'under';
  return 'exact';
}

/** Writing a briefing reads the data it is written from: both permissions. */
function mayWrite(actor: Actor): void {
  if (!can(actor, 'briefing.issue')) throw errors.forbidden('briefing.issue');
  if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
}

function badLine(section: string, line: { id: string }, en: string, vi: string): AppError {
  return new AppError(
    'validation_failed',
    {
      vi: `Mẫu báo cáo bị từ chối: dòng ${line.id} (mục ${section}): ${vi}`,
      en: `Briefing template refused: line ${line.id} (section ${section}): ${en}`,
    },
    { section, line: line.id },
  );
}

function alreadyIssued(id: number): AppError {
  return new AppError(
    'conflict',
    {
      vi: `Báo cáo ${id} đã ban hành, không thể sửa hay ban hành lại: hãy tạo bản điều chỉnh`,
      en: `Briefing ${id} is issued and cannot be changed or issued again: make a revision`,
    },
    { id },
  );
}
