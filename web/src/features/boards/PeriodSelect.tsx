import { useMemo } from 'react';
import { periodContaining, previousPeriod, type Period } from '../../../../src/domain/period.ts';
import { formatPeriod, vnToday } from '../../shared/format.ts';
import { RELATIVE_CHOICES, relativeKey, useBoardText } from './messages.ts';

const MONTHS = 24;

/** A period's name: a relative one by its words, $period as the board's, a fixed one by its label. */
export function usePeriodLabel(): (id: string) => string {
  const { lang, t } = useBoardText();
  return (id) => {
    if (id === '$period') return t('period_$period');
    const k = relativeKey(id.toUpperCase());
    return k ? t(k) : formatPeriod(lang, id);
  };
}

/** The last 24 months, newest first. */
function recentMonths(today: string): Period[] {
  const list: Period[] = [];
  let p = periodContaining(today, 'month');
  for (let i = 0; i < MONTHS; i++) {
    list.push(p);
    p = previousPeriod(p);
  }
  return list;
}

/** A period: relative periods and the last months (and the board's $period when offered). */
export function PeriodSelect({
  id,
  value,
  onChange,
  withVariable = false,
}: {
  id: string;
  value: string;
  onChange: (p: string) => void;
  withVariable?: boolean;
}) {
  const { t } = useBoardText();
  const label = usePeriodLabel();
  const months = useMemo(() => recentMonths(vnToday()), []);
  const known =
    (withVariable && value === '$period') ||
    (RELATIVE_CHOICES as readonly string[]).includes(value) ||
    months.some((m) => m.id === value);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {!known && value && <option value={value}>{label(value)}</option>}
      {withVariable && <option value="$period">{t('period_$period')}</option>}
      <optgroup label={t('periodRelative')}>
        {RELATIVE_CHOICES.map((r) => (
          <option key={r} value={r}>
            {label(r)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('periodMonths')}>
        {months.map((m) => (
          <option key={m.id} value={m.id}>
            {label(m.id)}
          </option>
        ))}
      </optgroup>
    </select>
  );
}
