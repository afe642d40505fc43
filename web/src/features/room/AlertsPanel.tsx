import { formatDateTime, formatNumber, formatValue, type Lang } from '../../shared/format.ts';
import { AppLink } from '../../shared/nav.tsx';
import { QUALITY_PATH } from '../quality/paths.ts';
import type { Alert, Catalogue } from './data.ts';
import { itemOf } from './data.ts';
import type { OverviewT } from './messages.ts';

const OP_TEXT: Record<Lang, Record<Alert['operator'], string>> = {
  vi: { '>': 'vượt', '>=': 'từ', '<': 'dưới', '<=': 'không quá' },
  en: { '>': 'above', '>=': 'at least', '<': 'below', '<=': 'at most' },
};

/** An alert on validation violations (issue 17): a count, and the way to the data quality screen. */
const VIOLATIONS: Record<
  Lang,
  { count: (n: string, level: string) => string; levels: Record<string, string>; link: string }
> = {
  vi: {
    count: (n, level) => `${n} vi phạm mức ${level} chưa xác nhận`,
    levels: { HIGH: 'cao', MEDIUM: 'trung bình', LOW: 'thấp' },
    link: 'Xem chất lượng số liệu',
  },
  en: {
    count: (n, level) => `${n} unconfirmed ${level} violations`,
    levels: { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' },
    link: 'See the data quality',
  },
};

/** The open alerts, newest first: which unit, which rule, the value against the threshold. */
export function AlertsPanel({
  alerts,
  lang,
  t,
  cat,
  onOpen,
  limit,
}: {
  alerts: Alert[] | null | undefined;
  lang: Lang;
  t: OverviewT;
  cat: Catalogue;
  onOpen: (a: Alert) => void;
  limit?: number;
}) {
  if (alerts === undefined) return null;
  if (alerts === null) return <p className="muted">{t('alertsUnavailable')}</p>;
  if (alerts.length === 0)
    return (
      <p className="muted" data-testid="alerts-none">
        {t('alertsNone')}
      </p>
    );
  const shown = limit ? alerts.slice(0, limit) : alerts;
  return (
    <ul className="alerts" data-testid="alerts">
      {shown.map((a) => {
        const violations = a.rule.subjectType === 'violations';
        const words = VIOLATIONS[lang];
        const item = violations ? undefined : itemOf(cat, a.rule.subject);
        const v = (n: number | null) =>
          violations
            ? formatNumber(lang, n ?? 0)
            : formatValue(lang, n, item?.unit, { decimals: item?.decimals });
        return (
          <li key={a.id} className="alert-item" data-testid={`alert-${a.id}`}>
            <span className="alert-badge" aria-hidden="true">
              ⚠
            </span>
            <div className="alert-text">
              <button type="button" className="link-btn alert-unit" onClick={() => onOpen(a)}>
                {a.unit.fullName}
              </button>
              <span className="alert-rule">{lang === 'vi' ? a.rule.nameVi : a.rule.nameEn}</span>
              <span className="alert-value">
                {violations
                  ? words.count(v(a.value), words.levels[a.rule.subject] ?? a.rule.subject)
                  : v(a.value)}{' '}
                — {OP_TEXT[lang][a.operator]} {v(a.threshold)} · {a.periodLabel[lang]}
              </span>
              {violations && (
                <AppLink
                  to={QUALITY_PATH}
                  className="alert-link"
                  data-testid={`alert-quality-${a.id}`}
                >
                  {words.link}
                </AppLink>
              )}
              <span className="alert-time muted">{formatDateTime(lang, a.openedAt)}</span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
