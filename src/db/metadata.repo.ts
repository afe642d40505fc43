import { sql, type Kysely } from 'kysely';
import type { Db } from './client.ts';
import type { FigureDirection } from '../domain/direction.ts';
import type {
  KnownCategory,
  KnownCombo,
  KnownIndicatorType,
  KnownObject,
  Plan,
} from '../domain/dhis2-metadata.ts';
import type {
  AttributeOptionInput,
  BreakdownInput,
  DataElementInput,
  DataSetInput,
  IndicatorInput,
  TargetInput,
} from '../domain/metadata.ts';

export type Upserted = 'created' | 'updated' | 'unchanged';

/** Whether a stored row already holds these values (compared column by column). */
function same(
  before: Record<string, unknown> | undefined,
  values: Record<string, unknown>,
): boolean {
  return before !== undefined && Object.entries(values).every(([k, v]) => before[k] === v);
}

/** Metadata rows, upserted by code. Returns whether each write created or changed a row. */
/** The handle with columns unchecked: `write` takes any of several tables and their values. */
const loose = (db: Db) =>
  db as unknown as Kysely<Record<string, { id: number } & Record<string, unknown>>>;

export class MetadataRepo {
  constructor(private readonly db: Db) {}

  breakdownByCode(code: string) {
    return this.db.selectFrom('breakdown').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async upsertBreakdown(b: BreakdownInput): Promise<Upserted> {
    const before = await this.breakdownByCode(b.code);
    if (before && same(before, { uid: b.uid ?? null, name_vi: b.nameVi, name_en: b.nameEn })) {
      const options = await this.db
        .selectFrom('breakdown_option')
        .select(['code', 'uid', 'name_vi', 'name_en'])
        .where('breakdown_id', '=', before.id)
        .orderBy('sort_order')
        .execute();
      const wanted = b.options.map((o) => ({
        code: o.code,
        uid: o.uid ?? null,
        name_vi: o.nameVi,
        name_en: o.nameEn,
      }));
      if (JSON.stringify(options) === JSON.stringify(wanted)) return 'unchanged';
    }
    const row = await this.db
      .insertInto('breakdown')
      .values({ code: b.code, uid: b.uid ?? null, name_vi: b.nameVi, name_en: b.nameEn })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ uid: b.uid ?? null, name_vi: b.nameVi, name_en: b.nameEn }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, o] of b.options.entries()) {
      await this.db
        .insertInto('breakdown_option')
        .values({
          breakdown_id: row.id,
          code: o.code,
          uid: o.uid ?? null,
          name_vi: o.nameVi,
          name_en: o.nameEn,
          sort_order: i,
        })
        .onConflict((oc) =>
          oc.column('code').doUpdateSet({
            breakdown_id: row.id,
            uid: o.uid ?? null,
            name_vi: o.nameVi,
            name_en: o.nameEn,
            sort_order: i,
          }),
        )
        .execute();
    }
    return before ? 'updated' : 'created';
  }

  async upsertAttributeOption(a: AttributeOptionInput): Promise<Upserted> {
    const before = await this.db
      .selectFrom('attribute_option')
      .selectAll()
      .where('code', '=', a.code)
      .executeTakeFirst();
    if (same(before, { uid: a.uid ?? null, name_vi: a.nameVi, name_en: a.nameEn }))
      return 'unchanged';
    await this.db
      .insertInto('attribute_option')
      .values({ code: a.code, uid: a.uid ?? null, name_vi: a.nameVi, name_en: a.nameEn })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ uid: a.uid ?? null, name_vi: a.nameVi, name_en: a.nameEn }),
      )
      .execute();
    return before ? 'updated' : 'created';
  }

  async upsertElement(e: DataElementInput, breakdownId: number): Promise<Upserted> {
    const before = await this.db
      .selectFrom('data_element')
      .selectAll()
      .where('code', '=', e.code)
      .executeTakeFirst();
    const values = {
      uid: e.uid ?? null,
      name_vi: e.nameVi,
      name_en: e.nameEn,
      sector: e.sector,
      value_type: e.valueType,
      unit: e.unit ?? null,
      agg_time: e.aggTime,
      agg_units: e.aggUnits,
      breakdown_id: breakdownId,
      zero_significant: e.zeroSignificant,
      description: e.description ?? null,
      min_value: e.min ?? null,
      max_value: e.max ?? null,
      direction: e.direction,
    };
    if (same(before, values)) return 'unchanged';
    await this.db
      .insertInto('data_element')
      .values({ code: e.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
    return before ? 'updated' : 'created';
  }

  async upsertIndicator(i: IndicatorInput): Promise<Upserted> {
    const before = await this.db
      .selectFrom('indicator')
      .selectAll()
      .where('code', '=', i.code)
      .executeTakeFirst();
    const values = {
      uid: i.uid ?? null,
      name_vi: i.nameVi,
      name_en: i.nameEn,
      sector: i.sector,
      formula: i.formula,
      unit: i.unit ?? null,
      decimals: i.decimals,
      description: i.description ?? null,
      direction: i.direction,
    };
    if (same(before, values)) return 'unchanged';
    await this.db
      .insertInto('indicator')
      .values({ code: i.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
    return before ? 'updated' : 'created';
  }

  async upsertTarget(t: TargetInput): Promise<Upserted> {
    const before = await this.db
      .selectFrom('target')
      .selectAll()
      .where('subject_type', '=', t.subject.type)
      .where('subject_code', '=', t.subject.code)
      .where('unit_version', '=', t.unit.version)
      .where('unit_code', '=', t.unit.code)
      .where('due', '=', t.due)
      .executeTakeFirst();
    const values = { value: t.value, label_vi: t.labelVi ?? null, label_en: t.labelEn ?? null };
    if (same(before, values)) return 'unchanged';
    if (before)
      await this.db.updateTable('target').set(values).where('id', '=', before.id).execute();
    else {
      await this.db
        .insertInto('target')
        .values({
          subject_type: t.subject.type,
          subject_code: t.subject.code,
          unit_version: t.unit.version,
          unit_code: t.unit.code,
          due: t.due,
          ...values,
        })
        .execute();
    }
    return before ? 'updated' : 'created';
  }

  async upsertDataSet(d: DataSetInput, elementIds: number[]): Promise<Upserted> {
    const before = await this.db
      .selectFrom('data_set')
      .selectAll()
      .where('code', '=', d.code)
      .executeTakeFirst();
    const values = {
      uid: d.uid ?? null,
      name_vi: d.nameVi,
      name_en: d.nameEn,
      period_type: d.periodType,
      version: d.version,
      level: d.level,
      due_days: d.dueDays,
      expiry_days: d.expiryDays,
    };
    if (before && same(before, values)) {
      const current = await this.db
        .selectFrom('data_set_element')
        .select('element_id')
        .where('data_set_id', '=', before.id)
        .execute();
      const now = current.map((r) => r.element_id).sort((a, b) => a - b);
      if (JSON.stringify(now) === JSON.stringify([...elementIds].sort((a, b) => a - b)))
        return 'unchanged';
    }
    const row = await this.db
      .insertInto('data_set')
      .values({ code: d.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db.deleteFrom('data_set_element').where('data_set_id', '=', row.id).execute();
    await sql`insert into data_set_element (data_set_id, element_id)
      select ${row.id}, e from unnest(${elementIds}::int[]) as e`.execute(this.db);
    return before ? 'updated' : 'created';
  }

  elementIds(codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('data_element')
      .select(['id', 'code'])
      .where('code', 'in', codes)
      .execute();
  }

  /** Those of `codes` that name a row, by its code or its DHIS2 uid (formulas may use either). */
  existingCodes(table: 'data_element' | 'indicator' | 'data_set', codes: string[]) {
    if (codes.length === 0) return Promise.resolve([] as string[]);
    return this.db
      .selectFrom(table)
      .select(['code', 'uid'])
      .where((eb) => eb.or([eb('code', 'in', codes), eb('uid', 'in', codes)]))
      .execute()
      .then((r) => {
        const found = new Set(r.flatMap((x) => [x.code, x.uid]));
        return codes.filter((c) => found.has(c));
      });
  }

  listElements() {
    return sql<{
      code: string;
      uid: string | null;
      name_vi: string;
      name_en: string;
      sector: string;
      value_type: string;
      unit: string | null;
      agg_time: string;
      agg_units: string;
      breakdown: string;
      zero_significant: boolean;
      description: string | null;
      min_value: number | null;
      max_value: number | null;
      direction: FigureDirection;
    }>`select e.code, e.uid, e.name_vi, e.name_en, e.sector, e.value_type, e.unit, e.agg_time, e.agg_units,
        b.code as breakdown, e.zero_significant, e.description, e.min_value, e.max_value, e.direction
      from data_element e join breakdown b on b.id = e.breakdown_id order by e.sector, e.code`
      .execute(this.db)
      .then((r) => r.rows);
  }

  listBreakdowns() {
    return sql<{
      code: string;
      uid: string | null;
      name_vi: string;
      name_en: string;
      options: { code: string; uid: string | null; name_vi: string; name_en: string }[];
    }>`
      select b.code, b.uid, b.name_vi, b.name_en,
        coalesce((select json_agg(json_build_object('code', o.code, 'uid', o.uid, 'name_vi', o.name_vi, 'name_en', o.name_en)
                  order by o.sort_order, o.code) from breakdown_option o where o.breakdown_id = b.id), '[]') as options
      from breakdown b order by b.code`
      .execute(this.db)
      .then((r) => r.rows);
  }

  listAttributeOptions() {
    return this.db
      .selectFrom('attribute_option')
      .select(['code', 'uid', 'name_vi', 'name_en'])
      .orderBy('code')
      .execute();
  }

  listIndicators() {
    return this.db
      .selectFrom('indicator')
      .select([
        'code',
        'uid',
        'name_vi',
        'name_en',
        'sector',
        'formula',
        'unit',
        'decimals',
        'description',
        'direction',
      ])
      .orderBy('sector')
      .orderBy('code')
      .execute();
  }

  listTargets() {
    return this.db
      .selectFrom('target')
      .selectAll()
      .orderBy('subject_code')
      .orderBy('due')
      .execute();
  }

  listDataSets() {
    return sql<{
      code: string;
      uid: string | null;
      name_vi: string;
      name_en: string;
      period_type: string;
      version: string;
      level: number;
      due_days: number;
      expiry_days: number;
      elements: string[];
    }>`
      select d.code, d.uid, d.name_vi, d.name_en, d.period_type, d.version, d.level, d.due_days, d.expiry_days,
        coalesce((select json_agg(e.code order by e.code) from data_set_element de
                  join data_element e on e.id = de.element_id where de.data_set_id = d.id), '[]') as elements
      from data_set d order by d.code`
      .execute(this.db)
      .then((r) => r.rows);
  }

  // -------------------------------------------------------------------------------------------
  // DHIS2's metadata import (domain/dhis2-metadata.ts plans it; these write the plan).

  /** What is stored, as the DHIS2 import plans against it (units apart: OrgUnitRepo.treeOf). */
  async dhis2Known(version: string) {
    const named = (table: string, name = 'name') =>
      sql<KnownObject>`select id, uid, code, ${sql.ref(name)} as name from ${sql.table(table)}`
        .execute(this.db)
        .then((r) => r.rows);
    const [categoryOptions, categories, combos, attributeOptions, indicatorTypes] =
      await Promise.all([
        named('category_option'),
        sql<KnownCategory>`select c.id, c.uid, c.code, c.name, c.dimension_type as "dimensionType",
            coalesce((select json_agg(o.uid order by m.sort_order) from category_member m
              join category_option o on o.id = m.option_id where m.category_id = c.id), '[]') as options
          from category c`
          .execute(this.db)
          .then((r) => r.rows),
        sql<KnownCombo>`select b.id, b.uid, b.code, b.name_en as name, b.dimension_type as "dimensionType",
            coalesce((select json_agg(c.uid order by bc.sort_order) from breakdown_category bc
              join category c on c.id = bc.category_id where bc.breakdown_id = b.id), '[]') as categories,
            case when b.dimension_type = 'ATTRIBUTE' then
              coalesce((select json_agg(json_build_object('id', a.id, 'uid', a.uid, 'code', a.code, 'name', a.name_en,
                  'parts', coalesce((select json_agg(co.uid) from attribute_option_part p
                    join category_option co on co.id = p.category_option_id where p.attribute_id = a.id), '[]')))
                from attribute_option a where a.breakdown_id = b.id), '[]')
            else
              coalesce((select json_agg(json_build_object('id', o.id, 'uid', o.uid, 'code', o.code, 'name', o.name_en,
                  'parts', coalesce((select json_agg(co.uid) from breakdown_option_part p
                    join category_option co on co.id = p.category_option_id where p.option_id = o.id), '[]'))
                  order by o.sort_order)
                from breakdown_option o where o.breakdown_id = b.id), '[]')
            end as options
          from breakdown b`
          .execute(this.db)
          .then((r) => r.rows),
        sql<KnownObject>`select id, uid, code, name_en as name from attribute_option where breakdown_id is null`
          .execute(this.db)
          .then((r) => r.rows),
        sql<KnownIndicatorType>`select id, uid, code, name, factor, number from indicator_type`
          .execute(this.db)
          .then((r) => r.rows),
      ]);
    const [elements, indicators, dataSets, groups] = await Promise.all([
      named('data_element', 'name_en'),
      named('indicator', 'name_en'),
      named('data_set', 'name_en'),
      sql<KnownObject>`select id, code as uid, code, name from unit_group where version = ${version}`
        .execute(this.db)
        .then((r) => r.rows),
    ]);
    return {
      categoryOptions,
      categories,
      combos,
      attributeOptions,
      indicatorTypes,
      elements,
      indicators,
      dataSets,
      groups,
    };
  }

  /** Inserts or updates one row by id (or inserts it): whether it was created, changed or not. */
  private async write(
    table:
      | 'category_option'
      | 'category'
      | 'indicator_type'
      | 'breakdown'
      | 'breakdown_option'
      | 'attribute_option'
      | 'data_element'
      | 'data_set'
      | 'indicator',
    id: number | undefined,
    values: Record<string, unknown>,
    onCreate: Record<string, unknown> = {},
  ): Promise<{ id: number; change: Upserted }> {
    if (id !== undefined) {
      const before = (
        await sql<
          Record<string, unknown>
        >`select * from ${sql.table(table)} where id = ${id}`.execute(this.db)
      ).rows[0];
      if (before && same(before, values)) return { id, change: 'unchanged' };
      await loose(this.db).updateTable(table).set(values).where('id', '=', id).execute();
      return { id, change: 'updated' };
    }
    const row = await loose(this.db)
      .insertInto(table)
      .values({ ...onCreate, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, change: 'created' };
  }

  async writeCategoryOption(o: Plan['categoryOptions'][number]) {
    return this.write('category_option', o.id, {
      uid: o.uid,
      code: o.code,
      name: o.name,
      short_name: o.shortName,
    });
  }

  async writeCategory(c: Plan['categories'][number], optionIds: number[]) {
    const r = await this.write('category', c.id, {
      uid: c.uid,
      code: c.code,
      name: c.name,
      dimension_type: c.dimensionType,
    });
    const changed = await this.replaceLinks(
      'category_member',
      'category_id',
      r.id,
      'option_id',
      optionIds,
    );
    return { id: r.id, change: r.change === 'unchanged' && changed ? 'updated' : r.change };
  }

  /** Replaces an ordered list of links; whether it changed. */
  private async replaceLinks(
    table: 'category_member' | 'breakdown_category',
    owner: 'category_id' | 'breakdown_id',
    ownerId: number,
    item: 'option_id' | 'category_id',
    ids: number[],
  ): Promise<boolean> {
    const now = await sql<{ id: number }>`select ${sql.ref(item)} as id from ${sql.table(table)}
      where ${sql.ref(owner)} = ${ownerId} order by sort_order`.execute(this.db);
    if (JSON.stringify(now.rows.map((r) => r.id)) === JSON.stringify(ids)) return false;
    await sql`delete from ${sql.table(table)} where ${sql.ref(owner)} = ${ownerId}`.execute(
      this.db,
    );
    await sql`insert into ${sql.table(table)} (${sql.ref(owner)}, ${sql.ref(item)}, sort_order)
      select ${ownerId}, x, o - 1 from unnest(${ids}::int[]) with ordinality as t (x, o)`.execute(
      this.db,
    );
    return true;
  }

  /**
   * A category combo as a breakdown, with its option combos: breakdown options, or attribute
   * options for an attribute combo, each with the category options it is made of.
   */
  async writeCombo(
    c: Plan['combos'][number],
    categoryIds: number[],
    optionIds: Map<string, number>,
  ): Promise<{ id: number; change: Upserted }> {
    const r = await this.write(
      'breakdown',
      c.id,
      { uid: c.uid, name_vi: c.name, name_en: c.name, dimension_type: c.dimensionType },
      { code: c.key },
    );
    let changed = await this.replaceLinks(
      'breakdown_category',
      'breakdown_id',
      r.id,
      'category_id',
      categoryIds,
    );
    const attribute = c.dimensionType === 'ATTRIBUTE';
    for (const [i, o] of c.options.entries()) {
      const w = await this.write(
        attribute ? 'attribute_option' : 'breakdown_option',
        o.id,
        attribute
          ? { uid: o.uid, name_vi: o.name, name_en: o.name, breakdown_id: r.id }
          : { uid: o.uid, name_vi: o.name, name_en: o.name, breakdown_id: r.id, sort_order: i },
        { code: o.key },
      );
      if (w.change !== 'unchanged') changed = true;
      const parts = o.parts.map((u) => optionIds.get(u)!).filter((x) => x !== undefined);
      const table = attribute ? 'attribute_option_part' : 'breakdown_option_part';
      const key = attribute ? 'attribute_id' : 'option_id';
      const now = await sql<{ id: number }>`select category_option_id as id from ${sql.table(table)}
        where ${sql.ref(key)} = ${w.id} order by category_option_id`.execute(this.db);
      const want = [...parts].sort((a, b) => a - b);
      if (JSON.stringify(now.rows.map((x) => x.id)) !== JSON.stringify(want)) {
        await sql`delete from ${sql.table(table)} where ${sql.ref(key)} = ${w.id}`.execute(this.db);
        await sql`insert into ${sql.table(table)} (${sql.ref(key)}, category_option_id)
          select ${w.id}, x from unnest(${want}::int[]) as t (x)`.execute(this.db);
        changed = true;
      }
    }
    return { id: r.id, change: r.change === 'unchanged' && changed ? 'updated' : r.change };
  }

  async writeIndicatorType(t: Plan['indicatorTypes'][number]) {
    return this.write('indicator_type', t.id, {
      uid: t.uid,
      code: t.code,
      name: t.name,
      factor: t.factor,
      number: t.number,
    });
  }

  /** A DHIS2 data element; Opsroom's sector and unit, which DHIS2 has not, are kept or 'other'. */
  async writeDhis2Element(e: Plan['dataElements'][number], breakdownId: number) {
    return this.write(
      'data_element',
      e.id,
      {
        uid: e.uid,
        name_vi: e.name,
        name_en: e.name,
        value_type: e.valueType,
        agg_time: e.aggTime,
        agg_units: e.aggUnits,
        breakdown_id: breakdownId,
        zero_significant: e.zeroSignificant,
        description: e.description,
        min_value: e.min,
        max_value: e.max,
      },
      { code: e.key, sector: 'other' },
    );
  }

  /** A DHIS2 data set: its elements and the units it is assigned to. */
  async writeDhis2DataSet(
    d: Plan['dataSets'][number],
    version: string,
    elementIds: number[],
    unitIds: number[],
  ) {
    const r = await this.write(
      'data_set',
      d.id,
      {
        uid: d.uid,
        name_vi: d.name,
        name_en: d.name,
        period_type: d.periodType,
        version,
        level: d.level,
        due_days: d.dueDays,
        expiry_days: d.expiryDays,
      },
      { code: d.key },
    );
    let changed = false;
    for (const [table, column, ids] of [
      ['data_set_element', 'element_id', elementIds],
      ['data_set_unit', 'unit_id', unitIds],
    ] as const) {
      const now = await sql<{ id: number }>`select ${sql.ref(column)} as id from ${sql.table(table)}
        where data_set_id = ${r.id} order by 1`.execute(this.db);
      const want = [...new Set(ids)].sort((a, b) => a - b);
      if (JSON.stringify(now.rows.map((x) => x.id)) === JSON.stringify(want)) continue;
      changed = true;
      await sql`delete from ${sql.table(table)} where data_set_id = ${r.id}`.execute(this.db);
      await sql`insert into ${sql.table(table)} (data_set_id, ${sql.ref(column)})
        select ${r.id}, x from unnest(${want}::int[]) as t (x)`.execute(this.db);
    }
    return { id: r.id, change: r.change === 'unchanged' && changed ? 'updated' : r.change };
  }

  async writeDhis2Indicator(i: Plan['indicators'][number], typeId: number | null) {
    return this.write(
      'indicator',
      i.id,
      {
        uid: i.uid,
        name_vi: i.name,
        name_en: i.name,
        formula: i.formula,
        numerator: i.numerator,
        denominator: i.denominator,
        indicator_type_id: typeId,
        decimals: i.decimals,
        unit: i.unit,
        description: i.description,
      },
      { code: i.key, sector: 'other' },
    );
  }

  /** Ids of rows by uid or code. */
  async idsByKey(
    table: 'data_element' | 'category_option' | 'category' | 'breakdown' | 'indicator_type',
    keys: string[],
  ): Promise<Map<string, number>> {
    const m = new Map<string, number>();
    if (keys.length === 0) return m;
    const r = await sql<{ id: number; uid: string | null; code: string | null }>`
      select id, uid, code from ${sql.table(table)}
      where uid = any(${keys}::text[]) or code = any(${keys}::text[])`.execute(this.db);
    for (const x of r.rows) {
      if (x.code) m.set(x.code, x.id);
      if (x.uid) m.set(x.uid, x.id);
    }
    return m;
  }

  /** The units each data set is assigned to, by code (data sets without assignments left out). */
  async dataSetUnits(): Promise<Map<string, string[]>> {
    const r = await sql<{ code: string; units: string[] }>`
      select d.code, json_agg(u.code order by u.code) as units
      from data_set d join data_set_unit du on du.data_set_id = d.id join org_unit u on u.id = du.unit_id
      group by d.code`.execute(this.db);
    return new Map(r.rows.map((x) => [x.code, x.units]));
  }

  /** Ids of units of a version by code (an added unit's code is its uid). */
  async unitIds(version: string, codes: string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const r = await sql<{ id: number; code: string }>`select id, code from org_unit
      where version = ${version} and code = any(${codes}::text[])`.execute(this.db);
    return new Map(r.rows.map((x) => [x.code, x.id]));
  }

  /** Sets the units a data set (by code) is assigned to; whether that changed anything. */
  async replaceDataSetUnits(code: string, unitIds: number[]): Promise<boolean> {
    const d = await this.db
      .selectFrom('data_set')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    const now = await sql<{ id: number }>`select unit_id as id from data_set_unit
      where data_set_id = ${d.id} order by 1`.execute(this.db);
    const want = [...new Set(unitIds)].sort((a, b) => a - b);
    if (JSON.stringify(now.rows.map((x) => x.id)) === JSON.stringify(want)) return false;
    await sql`delete from data_set_unit where data_set_id = ${d.id}`.execute(this.db);
    await sql`insert into data_set_unit (data_set_id, unit_id)
      select ${d.id}, x from unnest(${want}::int[]) as t (x)`.execute(this.db);
    return true;
  }
}
