import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import { readText } from './hierarchy.service.ts';
import type { Services } from './index.ts';

export const SHIPPED_DATA = fileURLToPath(new URL('../../data/vn-admin/', import.meta.url));

/** The versions shipped in data/vn-admin, oldest first. */
export const SHIPPED_VERSIONS = ['2022', '2025-03', '2025'] as const;

export type Progress = (step: string, done?: number, total?: number) => void;

/** Loads the real hierarchy once: the three trees, the later renames and the reform's links. */
export async function loadShippedHierarchy(s: Services, progress: Progress = () => {}) {
  const repo = s.store.repos.orgUnits;
  let loaded = false;
  for (const id of SHIPPED_VERSIONS) {
    if (await repo.hasVersion(id)) continue;
    loaded = true;
    const file = join(SHIPPED_DATA, `units-${id}.json`);
    progress(`units ${id}`, 0);
    await s.hierarchy.importUnitsFile('system', readText(file), {
      fileName: `units-${id}.json`,
      versionId: id,
      onProgress: (done, total) => progress(`units ${id}`, done, total),
      carry: false,
    });
  }
  if ((await repo.changeCount('2025')) === 0) {
    progress('renames after 2025-07');
    await s.hierarchy.importChanges(
      'system',
      '2025',
      readText(join(SHIPPED_DATA, 'changes-after-2025-07.json')),
    );
    loaded = true;
  }
  if ((await repo.linkCount()) === 0) {
    progress('mapping 2025-03 → 2025');
    await s.hierarchy.importMapping(
      'system',
      '2025-03',
      '2025',
      readText(join(SHIPPED_DATA, 'mapping-2025.json')),
      { carry: false },
    );
    loaded = true;
  }
  if (loaded) await repo.analyze();
  // One carry map for the three trees, built once (every import above skipped it).
  if (loaded || !(await s.carry.built())) {
    progress('carry map');
    await s.carry.refresh();
  }
}

/** The 19 southern provinces under Directive 16 from 19 July 2021 (2022 codes). */
export const DISTANCING_PROVINCES_2021 = [
  '70',
  '72',
  '74',
  '75',
  '77',
  '79',
  '80',
  '82',
  '83',
  '84',
  '86',
  '87',
  '89',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
];

export async function seedGroups(s: Services) {
  if (await s.store.repos.groups.hasCode('gian-cach-2021')) return;
  const sub = `gian-cach-2021-tinh`;
  await s.groups.create('system', {
    version: '2022',
    code: sub,
    name: '19 tỉnh, thành phía Nam giãn cách theo Chỉ thị 16 (07/2021)',
    owner: ROOT_CODE,
    definition: { codes: DISTANCING_PROVINCES_2021 },
  });
  await s.groups.create('system', {
    version: '2022',
    code: 'gian-cach-2021',
    name: 'Xã, phường đang giãn cách',
    description:
      'Các xã, phường, thị trấn của 19 tỉnh, thành phía Nam giãn cách theo Chỉ thị 16 từ 19/7/2021 (cây 2022); ' +
      'khoảng 2.500 xã mà phòng chỉ huy điều hành kết nối đầu tiên.',
    owner: ROOT_CODE,
    definition: { under: DISTANCING_PROVINCES_2021.map((code) => ({ code, level: 3 })) },
  });
}

/** The first admin: OPSROOM_ADMIN_PASSWORD, or a generated password printed once. */
export async function ensureAdmin(
  s: Services,
  password?: string,
): Promise<{ created: boolean; password?: string }> {
  if (await s.store.repos.accounts.hasUser('admin')) return { created: false };
  const pw = password || randomBytes(12).toString('base64url');
  const version = (await s.hierarchy.resolveVersion()) ?? '2025';
  await s.auth.createUser('system', {
    username: 'admin',
    displayName: 'Quản trị hệ thống',
    password: pw,
    role: 'admin',
    scope: { version, code: ROOT_CODE },
  });
  return { created: true, password: password ? undefined : pw };
}

export async function prepareDatabase(s: Services, progress: Progress = () => {}) {
  progress('migrate');
  await s.store.migrate();
  await loadShippedHierarchy(s, progress);
  await seedGroups(s);
  // Citizens' report categories (issue 20): once, on a database that never had any.
  await s.citizenCategories.installShipped();
  // The nation's working calendar (issue 20), when there is none.
  await s.workingCalendars.installNational();
}
