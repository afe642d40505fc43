import type { components } from './api/openapi.gen.ts';
import { formatNumber, type Lang } from './format.ts';

type Flag = components['schemas']['DataQualityFlag'];

const WORDS = {
  vi: {
    label: 'Cần kiểm tra số liệu',
    high: 'mức cao',
    medium: 'mức trung bình',
    low: 'mức thấp',
    sides: 'vế trái {left}, vế phải {right}',
    range: 'giá trị {value} ngoài khoảng {min}–{max}',
    at: 'tại {unit}, kỳ {period}',
    more: 'và {n} quy tắc khác',
  },
  en: {
    label: 'Figure to check',
    high: 'high',
    medium: 'medium',
    low: 'low',
    sides: 'left side {left}, right side {right}',
    range: 'value {value} outside {min}–{max}',
    at: 'at {unit}, period {period}',
    more: 'and {n} more rule(s)',
  },
} as const;

const fill = (s: string, v: Record<string, string>) =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** Why a figure is flagged, in words: each rule broken, its sides, where and when. */
export function flagText(lang: Lang, flags: Flag[]): string {
  const w = WORDS[lang];
  const n = (x: number | null) => (x === null ? '—' : formatNumber(lang, x, { decimals: 2 }));
  return flags
    .map((f) => {
      const name = lang === 'vi' ? f.nameVi : f.nameEn;
      const how = lang === 'vi' ? f.instructionVi : f.instructionEn;
      const level = w[f.importance.toLowerCase() as 'high' | 'medium' | 'low'];
      const sides =
        f.kind === 'outlier'
          ? fill(w.range, { value: n(f.left), min: n(f.min ?? null), max: n(f.max ?? null) })
          : fill(w.sides, { left: n(f.left), right: n(f.right) });
      return [
        f.kind === 'outlier' ? name : `${name} (${level})`,
        sides,
        fill(w.at, { unit: f.unit, period: f.period }),
        how ?? '',
      ]
        .filter(Boolean)
        .join('; ');
    })
    .join('\n');
}

/**
 * Under a figure whose values break a validation rule (issue 17): a mark, and the reason on
 * hover and for screen readers. A leader sees that the number is in doubt before reading it.
 */
export function FlagMark({ flags, lang }: { flags: Flag[]; lang: Lang }) {
  const high = flags.some((f) => f.importance === 'HIGH');
  const text = flagText(lang, flags);
  return (
    <p
      className={`flag-mark ${high ? 'flag-high' : 'flag-other'}`}
      data-testid="flag-mark"
      data-rules={flags.map((f) => f.rule).join(' ')}
      title={text}
    >
      <span className="flag-icon" aria-hidden="true">
        ⚠
      </span>{' '}
      {WORDS[lang].label}
      <span className="sr-only">. {text}</span>
    </p>
  );
}
