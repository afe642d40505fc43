import type { OrgUnit, Version } from '../../shared/api/types.ts';
import type { I18n, MessageKey } from '../../shared/i18n.ts';

export function maxLevel(v: Version | undefined): number {
  if (!v) return 3;
  return Math.max(...Object.keys(v.counts).map(Number));
}

/** "cấp tỉnh", "cấp huyện", "cấp xã": in the 2025 tree, level 2 is the commune level. */
export function levelKey(max: number, level: number, title = false): MessageKey {
  if (level <= 0) return 'levelNation';
  if (level === 1) return title ? 'levelTitle1' : 'level1';
  if (level === 2 && max >= 3) return title ? 'levelTitle2District' : 'level2District';
  return title ? 'levelTitle3' : 'level3';
}

export function versionLabel(i: I18n, v: Version): string {
  const n = v.counts['1'] ?? 0;
  const key: MessageKey =
    v.id === '2022'
      ? 'version2022'
      : v.id === '2025-03'
        ? 'version202503'
        : v.id === '2025'
          ? 'version2025'
          : 'versionOther';
  return i.t(key, { n, name: v.name });
}

/** "Quận 1 · Thành phố Hồ Chí Minh": the unit's ancestors, nearest first, without the nation. */
export function placeLine(u: OrgUnit): string {
  return u.ancestors
    .filter((a) => a.level > 0)
    .map((a) => a.fullName)
    .reverse()
    .join(' · ');
}

export function versionShort(id: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) return `${m[2]}/${m[1]}`;
  return id === '2025' ? '07/2025' : id;
}
