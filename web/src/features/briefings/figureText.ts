import { formatNumber, type Lang } from '../../shared/format.ts';
import type { BriefingChange, BriefingFigure } from './data.ts';
import type { BriefingT } from './messages.ts';

/**
 * A figure's numbers as the page's tables print them, in the figure's own scale and unit
 * ("11.496" tỷ đồng; "91,32" triệu thuê bao) and with the source's qualifier ("hơn 700.000").
 */

type Qualifier = BriefingFigure['qualifier'];

export function scaledNumber(lang: Lang, value: number, scale: number): string {
  return formatNumber(lang, value / scale);
}

export function qualified(t: BriefingT, q: Qualifier, text: string): string {
  return q === 'exact' ? text : `${t(q)} ${text}`;
}

/** The unit in the page's language; a unit with no English wording keeps the Vietnamese one. */
export function unitOf(lang: Lang, f: Pick<BriefingFigure, 'unitVi' | 'unitEn'>): string {
  return (lang === 'en' ? (f.unitEn ?? f.unitVi) : f.unitVi) ?? '';
}

/** "+14,1%" / "−9,29%" / "0%": to two decimals at most, as the exports' tables print it. */
export function changeCell(lang: Lang, c: BriefingChange | null | undefined): string {
  if (!c || c.pct === null) return '–';
  const n = formatNumber(lang, Math.abs(c.pct), { decimals: 2 });
  const sign = n === '0' ? '' : c.pct > 0 ? '+' : '−';
  return `${sign}${n}%`;
}

/** Whether any change of the figure (total or part) is the source's, not computed here. */
export function hasReported(f: BriefingFigure): boolean {
  const rep = (c: BriefingChange | null) => c?.source === 'reported';
  return rep(f.yoy) || rep(f.prev) || f.options.some((o) => rep(o.yoy) || rep(o.prev));
}

/** "Hà Nội, ngày 07 tháng 02 năm 2022": days and the months 1 and 2 padded (Decree 30). */
export function placeDate(t: BriefingT, place: string, iso: string): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  const month = Number(m);
  return t('placeDate', {
    place,
    d,
    m: month <= 2 ? m : String(month),
    y,
  });
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
export const roman = (n: number) => ROMAN[n - 1] ?? String(n);
