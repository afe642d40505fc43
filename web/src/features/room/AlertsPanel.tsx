import { formatDateTime, formatValue, type Lang } from '../../shared/format.ts';
import type { Alert, Catalogue } from './data.ts';
import { itemOf } from './data.ts';
import type { OverviewT } from './messages.ts';

const OP_TEXT: Record<Lang, Record<Alert['operator'], string>> = {
  vi: { '>': 'vượt', '>=': 'từ', '<': 'dưới', '<=': 'không quá' },
  en: { '>': 'above', '>=': 'at least', '<': 'below', '<=': 'at most' },
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
        const item = itemOf(cat, a.rule.subject);
        const v = (n: number | null) =>
          formatValue(lang, n, item?.unit, { decimals: item?.decimals });
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
                {v(a.value)} — {OP_TEXT[lang][a.operator]} {v(a.threshold)} · {a.periodLabel[lang]}
              </span>
              <span className="alert-time muted">{formatDateTime(lang, a.openedAt)}</span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
