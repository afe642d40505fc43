import { sql } from 'kysely';
import type { Db } from './client.ts';
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

  existingCodes(table: 'data_element' | 'indicator', codes: string[]) {
    if (codes.length === 0) return Promise.resolve([] as string[]);
    return this.db
      .selectFrom(table)
      .select('code')
      .where('code', 'in', codes)
      .execute()
      .then((r) => r.map((x) => x.code));
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
    }>`select e.code, e.uid, e.name_vi, e.name_en, e.sector, e.value_type, e.unit, e.agg_time, e.agg_units,
        b.code as breakdown, e.zero_significant, e.description, e.min_value, e.max_value
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
}
