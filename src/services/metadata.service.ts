import type { Repos, Store } from '../db/store.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors, schemaProblems } from '../domain/errors.ts';
import { dependencyOrder, itemsOf, parseExpression } from '../domain/expression.ts';
import type { MetadataDocument } from '../domain/metadata.ts';
import { MetadataWithRules, type MetadataWithRulesInput } from '../domain/validation.ts';
import { auditActor } from './audit.ts';
import type { CitizenCategoryService } from './citizen-category.service.ts';
import type { GroupService } from './group.service.ts';
import type { ValidationService } from './validation.service.ts';
import { vnDate } from '../domain/dates.ts';
import { versionAt } from '../domain/hierarchy.ts';
import {
  failedKeys,
  importReport,
  planDhis2Import,
  DHIS2_DEFAULTS,
  type ImportParams,
  type ImportReport,
  type Known,
  type Plan,
} from '../domain/dhis2-metadata.ts';
import { refreshCarry } from './carry.service.ts';
import { unitsChanged } from './hierarchy.service.ts';

/** The answer to a DHIS2 metadata import: its importReport, and what Opsroom left aside. */
export interface Dhis2ImportResult {
  report: ImportReport;
  /** Keys of the file Opsroom does not hold (optionSets, programs…), with their object counts. */
  ignoredTypes: Record<string, number>;
  version: string;
}

export interface MetadataProblem {
  path: string;
  vi: string;
  en: string;
}

type Kind =
  | 'breakdowns'
  | 'attributeOptions'
  | 'dataElements'
  | 'indicators'
  | 'targets'
  | 'dataSets'
  | 'unitGroups';
type Counts = { created: number; updated: number; unchanged: number };
export type MetadataSummary = Record<
  Kind | 'validationRules' | 'validationRuleGroups' | 'citizenCategories',
  Counts
>;

const ENTITY: Record<Kind, string> = {
  breakdowns: 'breakdown',
  attributeOptions: 'attribute_option',
  dataElements: 'data_element',
  indicators: 'indicator',
  targets: 'target',
  dataSets: 'data_set',
  unitGroups: 'unit_group',
};

export class MetadataService {
  constructor(
    private readonly store: Store,
    private readonly groups: GroupService,
    private readonly validation: ValidationService,
    private readonly citizenCategories: CitizenCategoryService,
  ) {}

  /**
   * Creates or changes metadata from one document, all or nothing: every item is checked
   * against the document and the database first (a formula names existing elements, a data
   * set's elements exist, a target's unit is in the caller's scope), then everything is
   * written in one transaction with an audit row per item.
   */
  async apply(
    actor: Actor | 'system',
    input: MetadataWithRulesInput,
    opts: { dryRun?: boolean } = {},
  ) {
    const parsed = MetadataWithRules.safeParse(input);
    if (!parsed.success) {
      throw invalid(schemaProblems(parsed.error).map(({ path, vi, en }) => ({ path, vi, en })));
    }
    const doc = parsed.data;
    const onlyGroups =
      doc.unitGroups.length > 0 &&
      Object.values({ ...doc, unitGroups: [] }).every((x) => x.length === 0);
    if (actor !== 'system' && !onlyGroups) {
      if (!can(actor, 'metadata.manage')) throw errors.forbidden('metadata.manage');
      const national =
        doc.breakdowns.length +
        doc.attributeOptions.length +
        doc.dataElements.length +
        doc.indicators.length +
        doc.dataSets.length +
        doc.validationRules.length +
        doc.validationRuleGroups.length +
        doc.citizenCategories.length;
      if (national > 0 && !isRootScope(actor.scope)) throw errors.outOfScope();
    }
    return this.store
      .transaction(async (tx) => {
        const repo = tx.metadata;
        await this.check(tx, actor, doc);
        const summary = Object.fromEntries(
          [
            ...Object.keys(ENTITY),
            'validationRules',
            'validationRuleGroups',
            'citizenCategories',
          ].map((k) => [k, { created: 0, updated: 0, unchanged: 0 }]),
        ) as MetadataSummary;
        const audit = tx.audit;
        const count = async (
          kind: Kind,
          code: string,
          r: 'created' | 'updated' | 'unchanged',
          after: unknown,
        ) => {
          summary[kind][r]++;
          if (r === 'unchanged') return;
          await audit.record({
            ...auditActor(actor),
            action: `${ENTITY[kind]}.${r === 'created' ? 'create' : 'update'}`,
            entityType: ENTITY[kind],
            entityId: code,
            after,
          });
        };
        for (const b of doc.breakdowns)
          await count('breakdowns', b.code, await repo.upsertBreakdown(b), b);
        for (const a of doc.attributeOptions)
          await count('attributeOptions', a.code, await repo.upsertAttributeOption(a), a);
        for (const e of doc.dataElements) {
          const breakdown = await repo.breakdownByCode(e.breakdown ?? 'default');
          await count('dataElements', e.code, await repo.upsertElement(e, breakdown!.id), e);
        }
        for (const i of doc.indicators)
          await count('indicators', i.code, await repo.upsertIndicator(i), i);
        for (const t of doc.targets) {
          const key = `${t.subject.type}:${t.subject.code}@${t.unit.version}:${t.unit.code}/${t.due}`;
          await count('targets', key, await repo.upsertTarget(t), t);
        }
        for (const d of doc.dataSets) {
          const ids = (await repo.elementIds(d.elements)).map((e) => e.id);
          let change = await repo.upsertDataSet(d, ids);
          if (d.units !== undefined) {
            const units = await repo.unitIds(d.version, d.units);
            const moved = await repo.replaceDataSetUnits(d.code, [...units.values()]);
            if (moved && change === 'unchanged') change = 'updated';
          }
          await count('dataSets', d.code, change, d);
        }
        // Groups check their own scope and write their own audit rows, in this transaction.
        for (const g of doc.unitGroups)
          summary.unitGroups[(await this.groups.upsert(actor, g, tx)).change]++;
        // Rules check their elements (written above) and audit themselves, in this transaction.
        if (doc.validationRules.length || doc.validationRuleGroups.length) {
          const v = await this.validation.apply(
            actor,
            {
              validationRules: doc.validationRules,
              validationRuleGroups: doc.validationRuleGroups,
            },
            { tx },
          );
          summary.validationRules = v.validationRules;
          summary.validationRuleGroups = v.validationRuleGroups;
        }
        // Categories audit themselves (citizen_category.create/update), in this transaction.
        for (const c of doc.citizenCategories)
          summary.citizenCategories[await this.citizenCategories.upsert(tx, actor, c)]++;
        if (opts.dryRun) throw new DryRun(summary);
        return summary;
      })
      .catch((e: unknown) => {
        if (e instanceof DryRun) return e.summary;
        throw e;
      });
  }

  /**
   * Imports metadata in DHIS2's shape (a DHIS2 export) and answers DHIS2's importReport. The
   * file is checked whole against itself and what is stored (domain/dhis2-metadata.ts), then
   * written in one transaction with an audit row per object: with `atomicMode=ALL` (DHIS2's
   * default) one error and nothing is written; with NONE the objects without errors are
   * (those that depend on a failed one fail too). Units go into `version` (default: the tree in
   * force today), under our units or as a tree of their own. `validateOnly` changes nothing.
   */
  async importDhis2(
    actor: Actor | 'system',
    doc: Record<string, unknown>,
    params: ImportParams,
    opts: { version?: string; lang: 'vi' | 'en' },
  ): Promise<Dhis2ImportResult> {
    const manages = actor === 'system' || can(actor, 'metadata.manage');
    if (actor !== 'system' && !manages && !can(actor, 'unit.manage'))
      throw errors.forbidden('metadata.manage');
    const units = this.store.repos.orgUnits;
    let version = opts.version;
    if (version !== undefined) {
      if (!(await units.hasVersion(version))) throw errors.unknownVersion(version);
    } else {
      const spans = await units.versionSpans();
      version = versionAt(
        spans.map((v) => ({ id: v.id, validFrom: v.valid_from, validUntil: v.valid_until })),
        vnDate(new Date()),
      )?.id;
      if (!version) throw errors.unknownVersion('(none loaded)');
    }
    const v = version;
    const mayPlaceUnit = (path: string) => {
      if (actor === 'system') return true;
      const ok = (a: 'unit.manage' | 'metadata.manage') =>
        path === '/'
          ? can(actor, a) && isRootScope(actor.scope)
          : can(actor, a, { version: v, path });
      return ok('unit.manage') || ok('metadata.manage');
    };
    const planOpts = {
      params,
      user: actor === 'system' ? 'system' : actor.name,
      mayPlaceUnit,
      mayWriteMetadata: actor === 'system' || (manages && isRootScope(actor.scope)),
    };
    let placedUnits = false;
    const result = await this.store
      .transaction(async (tx) => {
        const known = await this.known(tx, v);
        // atomicMode=NONE: leave out what failed and plan again, until nothing more fails
        // (an object that refers to a failed one fails in the next round).
        const skip = new Set<string>();
        const failures: ReturnType<typeof planDhis2Import>['outcomes'] = [];
        let planned = planDhis2Import(doc, known, { ...planOpts, skip });
        while (params.atomicMode === 'NONE') {
          const failed = failedKeys(planned.outcomes);
          if (failed.length === 0) break;
          for (const k of failed) skip.add(k);
          failures.push(...planned.outcomes.filter((o) => o.errors.length > 0));
          planned = planDhis2Import(doc, known, { ...planOpts, skip });
        }
        const outcomes = [...planned.outcomes, ...failures];
        const report = importReport(outcomes, {
          atomicMode: params.atomicMode,
          mode: params.importReportMode,
          lang: opts.lang,
        });
        const out = { report, ignoredTypes: planned.ignoredTypes, version: v };
        if (report.status === 'ERROR') return out;
        await this.writeDhis2(tx, actor, v, known, planned.plan);
        placedUnits = planned.plan.organisationUnits.length > 0;
        await tx.audit.record({
          ...auditActor(actor),
          action: 'metadata.import',
          entityType: 'metadata',
          entityId: 'dhis2',
          after: { format: 'dhis2', version: v, status: report.status, stats: report.stats },
        });
        if (params.validateOnly) throw new DryRunDhis2(out);
        return out;
      })
      .catch((e: unknown) => {
        if (e instanceof DryRunDhis2) return e.result;
        throw e;
      });
    if (placedUnits && !params.validateOnly) unitsChanged(v);
    return result;
  }

  private async known(tx: Repos, version: string): Promise<Known> {
    const [rest, tree] = await Promise.all([
      tx.metadata.dhis2Known(version),
      tx.orgUnits.treeOf(version),
    ]);
    return {
      version,
      ...rest,
      units: tree.map((u) => ({
        id: u.id,
        code: u.code,
        uid: u.uid,
        sourceCode: u.source_code,
        origin: u.origin,
        parent: u.parent_code,
        level: u.level,
        path: u.path,
        name: u.name,
      })),
    };
  }

  /** Writes a plan in dependency order, one audit row per object created or changed. */
  private async writeDhis2(
    tx: Repos,
    actor: Actor | 'system',
    version: string,
    known: Known,
    plan: Plan,
  ) {
    const repo = tx.metadata;
    const audit = tx.audit;
    const record = async (
      entityType: string,
      uid: string,
      change: 'created' | 'updated' | 'unchanged',
      after: unknown,
      unit?: { version: string; code: string },
    ) => {
      if (change === 'unchanged') return;
      await audit.record({
        ...auditActor(actor),
        action: `${entityType}.${change === 'created' ? 'create' : 'update'}`,
        entityType,
        entityId: uid,
        ...(unit ? { unit } : {}),
        after,
      });
    };
    const ids = async (
      table: 'category_option' | 'category' | 'breakdown' | 'indicator_type' | 'data_element',
      keys: string[],
    ) => repo.idsByKey(table, [...new Set(keys)]);

    for (const o of plan.categoryOptions) {
      const w = await repo.writeCategoryOption(o);
      await record('category_option', o.uid, w.change, o);
    }
    const optionIds = await ids('category_option', [
      ...plan.categories.flatMap((c) => c.options),
      ...plan.combos.flatMap((c) => c.options.flatMap((x) => x.parts)),
    ]);
    for (const c of plan.categories) {
      const w = await repo.writeCategory(
        c,
        c.options.map((u) => optionIds.get(u)!),
      );
      await record('category', c.uid, w.change, c);
    }
    const categoryIds = await ids(
      'category',
      plan.combos.flatMap((c) => c.categories),
    );
    for (const c of plan.combos) {
      const w = await repo.writeCombo(
        c,
        c.categories.map((u) => categoryIds.get(u)!),
        optionIds,
      );
      await record('breakdown', c.uid, w.change, {
        uid: c.uid,
        code: c.key,
        name: c.name,
        dimensionType: c.dimensionType,
        categories: c.categories,
        options: c.options.map((x) => ({ uid: x.uid, name: x.name })),
      });
    }
    for (const t of plan.indicatorTypes) {
      const w = await repo.writeIndicatorType(t);
      await record('indicator_type', t.uid, w.change, t);
    }
    const comboIds = await ids('breakdown', [
      DHIS2_DEFAULTS.combo,
      ...plan.dataElements.map((e) => e.combo),
    ]);
    for (const e of plan.dataElements) {
      const w = await repo.writeDhis2Element(e, comboIds.get(e.combo)!);
      await record('data_element', e.uid, w.change, e);
    }
    const orgUnits = tx.orgUnits;
    const placed = await orgUnits.placeAdded(
      version,
      plan.organisationUnits.map((u) => ({
        code: u.key,
        sourceCode: u.code,
        name: u.name,
        shortName: u.shortName,
        parent: u.parent,
        level: u.level,
        path: u.path,
        openingDate: u.openingDate,
        closedDate: u.closedDate,
      })),
    );
    // New or moved units change what the tree's units are made of in the other trees.
    if (placed.changed.size > 0) await refreshCarry(tx.carry, version);
    for (const u of plan.organisationUnits) {
      await record(
        'org_unit',
        u.uid,
        !placed.changed.has(u.key) ? 'unchanged' : u.action === 'create' ? 'created' : 'updated',
        { ...u, level: u.level },
        { version, code: u.key },
      );
    }
    const storedUnits = new Map(known.units.map((x) => [x.code, x.id]));
    const unitId = (key: string) => placed.ids.get(key) ?? storedUnits.get(key);
    for (const g of plan.organisationUnitGroups) {
      if (g.members.length === 0) continue; // Opsroom keeps no empty group
      await this.groups.upsert(
        actor,
        {
          version,
          code: g.key,
          name: g.name,
          owner: g.owner,
          definition: { codes: g.members },
        },
        tx,
      );
    }
    const elementIds = await ids(
      'data_element',
      plan.dataSets.flatMap((d) => d.elements),
    );
    for (const d of plan.dataSets) {
      const w = await repo.writeDhis2DataSet(
        d,
        version,
        d.elements.map((e) => elementIds.get(e)!),
        d.units.map((u) => unitId(u)!).filter((x) => x !== undefined),
      );
      await record('data_set', d.uid, w.change, { ...d, version });
    }
    const typeIds = await ids(
      'indicator_type',
      plan.indicators.map((i) => i.indicatorType),
    );
    for (const i of plan.indicators) {
      const w = await repo.writeDhis2Indicator(i, typeIds.get(i.indicatorType) ?? null);
      await record('indicator', i.uid, w.change, i);
    }
  }

  private async check(tx: Repos, actor: Actor | 'system', doc: MetadataDocument) {
    const repo = tx.metadata;
    const problems: MetadataProblem[] = [];
    const dup = (kind: string, codes: string[]) => {
      const seen = new Set<string>();
      codes.forEach((c, i) => {
        if (seen.has(c))
          problems.push({
            path: `${kind}.${i}.code`,
            vi: `Mã ${c} bị lặp trong tệp`,
            en: `Code ${c} appears twice`,
          });
        seen.add(c);
      });
    };
    dup(
      'breakdowns',
      doc.breakdowns.map((b) => b.code),
    );
    dup(
      'breakdownOptions',
      doc.breakdowns.flatMap((b) => b.options.map((o) => o.code)),
    );
    dup(
      'dataElements',
      doc.dataElements.map((e) => e.code),
    );
    dup(
      'indicators',
      doc.indicators.map((e) => e.code),
    );
    dup(
      'dataSets',
      doc.dataSets.map((e) => e.code),
    );
    dup(
      'citizenCategories',
      doc.citizenCategories.map((c) => c.code),
    );
    // The category routes' own rules: deadlines by the working-time rule, the handling unit
    // on the tree in force today.
    problems.push(...(await this.citizenCategories.problems(tx, doc.citizenCategories)));

    const docBreakdowns = new Set(doc.breakdowns.map((b) => b.code));
    for (const [i, e] of doc.dataElements.entries()) {
      if (
        e.breakdown &&
        !docBreakdowns.has(e.breakdown) &&
        !(await repo.breakdownByCode(e.breakdown))
      ) {
        problems.push({
          path: `dataElements.${i}.breakdown`,
          vi: `Không có phân tổ ${e.breakdown}`,
          en: `Unknown breakdown ${e.breakdown}`,
        });
      }
    }
    const docElements = new Set(doc.dataElements.map((e) => e.code));
    const docIndicators = new Set(doc.indicators.map((e) => e.code));
    // A formula may name an element or indicator by code or by DHIS2 uid.
    const withUids = (items: { code: string; uid?: string }[]) =>
      new Set(items.flatMap((e) => (e.uid ? [e.code, e.uid] : [e.code])));
    const formulaElements = withUids(doc.dataElements);
    const formulaIndicators = withUids(doc.indicators);
    const formulaDataSets = withUids(doc.dataSets ?? []);
    const known = async (
      table: 'data_element' | 'indicator' | 'data_set',
      inDoc: Set<string>,
      codes: string[],
    ) => {
      const missing = codes.filter((c) => !inDoc.has(c));
      const found = new Set(await repo.existingCodes(table, missing));
      return codes.filter((c) => !inDoc.has(c) && !found.has(c));
    };
    for (const [i, ind] of doc.indicators.entries()) {
      try {
        const refs = itemsOf(parseExpression(ind.formula));
        const elements = refs.flatMap((r) => (r.kind === 'element' ? [r.element] : []));
        const indicators = refs.flatMap((r) => (r.kind === 'indicator' ? [r.code] : []));
        for (const c of await known('data_element', formulaElements, elements)) {
          problems.push({
            path: `indicators.${i}.formula`,
            vi: `Công thức dùng chỉ tiêu không có: ${c}`,
            en: `The formula names an unknown data element: ${c}`,
          });
        }
        for (const c of await known('indicator', formulaIndicators, indicators)) {
          problems.push({
            path: `indicators.${i}.formula`,
            vi: `Công thức dùng chỉ số không có: ${c}`,
            en: `The formula names an unknown indicator: ${c}`,
          });
        }
        const dataSets = refs.flatMap((r) => (r.kind === 'reportingRate' ? [r.dataSet] : []));
        for (const c of await known('data_set', formulaDataSets, dataSets)) {
          problems.push({
            path: `indicators.${i}.formula`,
            vi: `Công thức dùng bộ dữ liệu không có: ${c}`,
            en: `The formula names an unknown data set: ${c}`,
          });
        }
        for (const r of refs.filter((x) => x.kind === 'constant')) {
          problems.push({
            path: `indicators.${i}.formula`,
            vi: `Opsroom không có hằng số (C{${r.code}}); hãy viết giá trị vào công thức`,
            en: `Opsroom has no constants (C{${r.code}}); write the value into the formula`,
          });
        }
      } catch (e) {
        const m = e instanceof AppError ? e.messages : { vi: String(e), en: String(e) };
        problems.push({ path: `indicators.${i}.formula`, ...m });
      }
    }
    if (doc.indicators.length > 0 && problems.length === 0) {
      try {
        const existing = (await repo.listIndicators()).filter((x) => !docIndicators.has(x.code));
        dependencyOrder([...existing, ...doc.indicators]);
      } catch (e) {
        const m = e instanceof AppError ? e.messages : { vi: String(e), en: String(e) };
        problems.push({ path: 'indicators', ...m });
      }
    }
    const units = tx.orgUnits;
    for (const [i, t] of doc.targets.entries()) {
      const table = t.subject.type === 'element' ? 'data_element' : 'indicator';
      const inDoc = t.subject.type === 'element' ? docElements : docIndicators;
      if ((await known(table, inDoc, [t.subject.code])).length) {
        problems.push({
          path: `targets.${i}.subject`,
          vi: `Không có ${t.subject.code}`,
          en: `Unknown ${t.subject.type} ${t.subject.code}`,
        });
      }
      const unit = await units.get(t.unit.version, t.unit.code, '9999-12-31');
      if (!unit) {
        problems.push({
          path: `targets.${i}.unit`,
          vi: `Không có đơn vị ${t.unit.code} (${t.unit.version})`,
          en: `Unknown unit ${t.unit.code} (${t.unit.version})`,
        });
      } else if (actor !== 'system' && !can(actor, 'metadata.manage', unit)) {
        throw errors.outOfScope(unit.code, unit.version);
      }
    }
    for (const [i, d] of doc.dataSets.entries()) {
      if (!(await units.hasVersion(d.version))) {
        problems.push({
          path: `dataSets.${i}.version`,
          vi: `Không có phiên bản cây ${d.version}`,
          en: `Unknown hierarchy version ${d.version}`,
        });
      }
      for (const c of await known('data_element', docElements, d.elements)) {
        problems.push({
          path: `dataSets.${i}.elements`,
          vi: `Không có chỉ tiêu ${c}`,
          en: `Unknown data element ${c}`,
        });
      }
      if (d.units?.length) {
        const found = await repo.unitIds(d.version, d.units);
        for (const c of d.units.filter((u) => !found.has(u)))
          problems.push({
            path: `dataSets.${i}.units`,
            vi: `Không có đơn vị ${c} (${d.version})`,
            en: `Unknown unit ${c} (${d.version})`,
          });
      }
    }
    if (problems.length) throw invalid(problems);
  }

  /** All metadata in the shape `apply` takes: an export imports back unchanged. */
  async list(): Promise<MetadataWithRules> {
    const repo = this.store.repos.metadata;
    const [breakdowns, attributeOptions, dataElements, indicators, targets, dataSets] =
      await Promise.all([
        repo.listBreakdowns(),
        repo.listAttributeOptions(),
        repo.listElements(),
        repo.listIndicators(),
        repo.listTargets(),
        repo.listDataSets(),
      ]);
    const groups = await this.store.repos.groups.all();
    const citizenCategories = await this.citizenCategories.exported();
    const assigned = await repo.dataSetUnits();
    const names = (r: { code: string; uid: string | null; name_vi: string; name_en: string }) => ({
      code: r.code,
      ...(r.uid ? { uid: r.uid } : {}),
      nameVi: r.name_vi,
      nameEn: r.name_en,
    });
    const opt = <T>(v: T | null) => (v === null ? undefined : v);
    return {
      breakdowns: breakdowns
        .filter((b) => b.code !== 'default')
        .map((b) => ({ ...names(b), options: b.options.map(names) })),
      attributeOptions: attributeOptions.filter((a) => a.code !== 'default').map(names),
      dataElements: dataElements.map((e) => ({
        ...names(e),
        sector: e.sector as MetadataDocument['dataElements'][number]['sector'],
        valueType: e.value_type as MetadataDocument['dataElements'][number]['valueType'],
        unit: opt(e.unit),
        aggTime: e.agg_time as MetadataDocument['dataElements'][number]['aggTime'],
        aggUnits: e.agg_units as MetadataDocument['dataElements'][number]['aggUnits'],
        breakdown: e.breakdown === 'default' ? undefined : e.breakdown,
        zeroSignificant: e.zero_significant,
        direction: e.direction,
        description: opt(e.description),
        ...(e.min_value === null ? {} : { min: e.min_value }),
        ...(e.max_value === null ? {} : { max: e.max_value }),
      })),
      indicators: indicators.map((i) => ({
        ...names(i),
        sector: i.sector as MetadataDocument['indicators'][number]['sector'],
        formula: i.formula,
        unit: opt(i.unit),
        decimals: i.decimals,
        direction: i.direction,
        description: opt(i.description),
      })),
      targets: targets.map((t) => ({
        subject: { type: t.subject_type, code: t.subject_code },
        unit: { version: t.unit_version, code: t.unit_code },
        value: t.value,
        due: t.due,
        labelVi: opt(t.label_vi),
        labelEn: opt(t.label_en),
      })),
      dataSets: dataSets.map((d) => ({
        ...names(d),
        periodType: d.period_type as MetadataDocument['dataSets'][number]['periodType'],
        version: d.version,
        level: d.level,
        dueDays: d.due_days,
        expiryDays: d.expiry_days,
        elements: d.elements,
        ...(assigned.has(d.code) ? { units: assigned.get(d.code) } : {}),
      })),
      unitGroups: groups.map((g) => ({
        version: g.version,
        code: g.code,
        name: g.name,
        ...(g.description ? { description: g.description } : {}),
        owner: g.owner_code,
        definition: g.definition,
      })),
      ...(await this.validation.list().then((v) => ({
        // Without the stored ids: an export imports back by code.
        validationRules: v.validationRules.map(({ id: _id, ...r }) => r),
        validationRuleGroups: v.validationRuleGroups.map(({ id: _id, ...g }) => g),
      }))),
      citizenCategories,
    };
  }
}

class DryRunDhis2 extends Error {
  constructor(readonly result: Dhis2ImportResult) {
    super('dry run');
  }
}

class DryRun extends Error {
  constructor(readonly summary: MetadataSummary) {
    super('dry run');
  }
}

function invalid(problems: MetadataProblem[]) {
  return new AppError(
    'validation_failed',
    {
      vi: `Siêu dữ liệu không hợp lệ (${problems.length} lỗi); không có gì thay đổi`,
      en: `Invalid metadata (${problems.length} problem(s)); nothing was changed`,
    },
    { problems },
  );
}
