/**
 * Values stored before the 2025 reform, for the browser test of the room across trees
 * (operations-room-trees.e2e.test.ts) and the screenshot of a carried period (scripts/screens.ts):
 * two elements of their own (so that no demo data adds to them), daily from November 2023 to
 * January 2024 for every province of the 2022 tree, and for two communes of Hà Nội (00006 went
 * whole into 00008 of the 2025 tree; 00007 was split between 00008 and 00025, so its share is
 * estimated by weights). Posting them again writes the same elements and values.
 */
import assert from 'node:assert/strict';
import type { APIRequestContext } from 'playwright-core';

export const CARRIED_PERIOD = '2024-01';
/** In the `government` sector, which has no page of the monthly briefing. */
const ELEMENTS = [
  {
    code: 'E2E_ONLINE_APPLICATIONS',
    nameVi: 'Hồ sơ dịch vụ công trực tuyến tiếp nhận',
    nameEn: 'Online public service applications received',
    unit: 'hồ sơ',
  },
  {
    code: 'E2E_CITIZEN_FEEDBACK',
    nameVi: 'Phản ánh, kiến nghị qua Cổng dịch vụ công',
    nameEn: 'Citizen feedback through the public service portal',
    unit: 'phản ánh',
  },
].map((e) => ({ ...e, sector: 'government', valueType: 'integer', aggTime: 'sum' }));
export const CARRIED_ELEMENTS = ELEMENTS.map((e) => e.code);
export const CARRIED_UNIT = ELEMENTS[0]!.unit;
/** The room on the carried period with these tiles (`&v=2025`: on the 2025 tree). */
export const CARRIED_ROOM = `/?dx=${CARRIED_ELEMENTS.join(',')}&pe=${CARRIED_PERIOD}`;
/** Commune 00006 (whole) and 00007 (split in two) of the 2022 tree, and what each posts a day. */
export const COMMUNES: Record<string, number> = { '00006': 3, '00007': 2 };

export interface PostedValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = Date.parse(from); d <= Date.parse(to); d += 86_400_000)
    out.push(new Date(d).toISOString().slice(0, 10));
  return out;
}

/** A plausible daily figure for a province, the same in every run. */
function daily(code: string, dayIndex: number, dx: string): number {
  const n = Number(code);
  const base = 12 + ((n * 37) % 61);
  const value = base + ((dayIndex * 7 + n) % 13);
  return dx === CARRIED_ELEMENTS[0] ? value * 3 + (n % 5) : value;
}

/** The values for the provinces of the 2022 tree (codes) and the two communes. */
export function carriedValues(provinces: string[]): PostedValue[] {
  const out: PostedValue[] = [];
  days('2023-11-01', '2024-01-31').forEach((day, i) => {
    for (const dx of CARRIED_ELEMENTS)
      for (const code of provinces)
        out.push({
          dataElement: dx,
          period: day,
          orgUnit: code,
          value: String(daily(code, i, dx)),
        });
    for (const [code, v] of Object.entries(COMMUNES))
      out.push({ dataElement: CARRIED_ELEMENTS[0]!, period: day, orgUnit: code, value: String(v) });
  });
  return out;
}

/** The sum of what was posted for `dx` in `month` (YYYY-MM) at the units listed. */
export function postedSum(values: PostedValue[], dx: string, month: string, units: string[]) {
  return values
    .filter((v) => v.dataElement === dx && v.period.startsWith(month) && units.includes(v.orgUnit))
    .reduce((s, v) => s + Number(v.value), 0);
}

/** Posts the elements and values through the API as a data platform would (signed in as admin). */
export async function postCarriedValues(
  api: APIRequestContext,
  baseUrl: string,
  csrf: string,
): Promise<PostedValue[]> {
  const meta = await api.post(`${baseUrl}/api/metadata`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { dataElements: ELEMENTS },
  });
  assert.equal(meta.status(), 200, await meta.text());
  const r = await api.get(`${baseUrl}/api/orgunits/VN/children?version=2022&limit=100`);
  assert.equal(r.status(), 200, await r.text());
  const provinces = ((await r.json()) as { items: { code: string }[] }).items.map((u) => u.code);
  assert.equal(provinces.length, 63, 'the 2022 tree has 63 provinces');
  const values = carriedValues(provinces);
  const posted = await api.post(`${baseUrl}/api/data/import`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { dataValues: values },
  });
  assert.equal(posted.status(), 200, await posted.text());
  return values;
}
