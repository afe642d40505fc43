import { formatPercent, type Lang } from '../../shared/format.ts';
import type { Cell } from './data.ts';
import type { OverviewT } from './messages.ts';

/** How a figure was carried across the 2025 reform (the analytics cell's `carried`). */
export type Carried = NonNullable<Cell['carried']>;

/** What a carried figure says: a label under a tile, a short badge, and why (a tooltip). */
export interface CarriedText {
  exact: boolean;
  /** ⇄ (carried whole) or ≈ (partly estimated). */
  icon: string;
  /** "Quy đổi từ cây 2022" · "Ước tính theo tỷ lệ · 35%" */
  label: string;
  /** The badge of a table row: "⇄ 2022" · "≈ 35%" (with `label` for screen readers). */
  short: string;
  /** The explanation, for a tooltip. */
  title: string;
}

export const ICON_EXACT = '⇄';
export const ICON_ESTIMATED = '≈';

/**
 * The share of a value that came through weights, as a whole percent; never "0%" or "100%"
 * for a share that is neither, so that a little estimation is not read as none.
 */
export function sharePercent(lang: Lang, share: number): string {
  const pct = Math.max(0, Math.min(1, share)) * 100;
  if (pct > 0 && pct < 1) return `<${formatPercent(lang, 1, 0)}`;
  if (pct > 99 && pct < 100) return `>${formatPercent(lang, 99, 0)}`;
  return formatPercent(lang, Math.round(pct), 0);
}

/** "2022" · "2022, 2025-03" (tree ids as strings: a number would be written "2.022"). */
function treesOf(lang: Lang, from: string[]): string {
  if (from.length <= 1) return from[0] ?? '';
  return `${from.slice(0, -1).join(', ')} ${lang === 'vi' ? 'và' : 'and'} ${from.at(-1)}`;
}

export function carriedText(lang: Lang, t: OverviewT, c: Carried): CarriedText {
  const out = c.exact ? exactText(lang, t, c) : estimatedText(lang, t, c);
  if (!c.gap) return out;
  // Old communes known only to lie in a province: counted in the province, not in a commune.
  return {
    ...out,
    label: `${out.label} · ${t('carriedGap')}`,
    title: `${out.title} ${t('carriedGapTitle')}`,
  };
}

function exactText(lang: Lang, t: OverviewT, c: Carried): CarriedText {
  const trees = treesOf(lang, c.from);
  return {
    exact: true,
    icon: ICON_EXACT,
    label: t(c.from.length > 1 ? 'carriedExactMany' : 'carriedExact', { trees }),
    short: `${ICON_EXACT} ${c.from.join(', ')}`,
    title: t('carriedExactTitle', { trees }),
  };
}

function estimatedText(lang: Lang, t: OverviewT, c: Carried): CarriedText {
  const share = sharePercent(lang, c.estimatedShare);
  return {
    exact: false,
    icon: ICON_ESTIMATED,
    label: t('carriedEstimated', { share }),
    short: `${ICON_ESTIMATED} ${share}`,
    title: t('carriedEstimatedTitle', { share, trees: treesOf(lang, c.from) }),
  };
}
