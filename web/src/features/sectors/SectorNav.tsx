import { AppLink, useGo } from '../../shared/nav.tsx';
import type { SectorMonth, SectorPeriod, SectorSummary } from './data.ts';
import { useSectorText, type SectorCode, type SectorT } from './messages.ts';
import { sectorPath, SECTORS_PATH } from './paths.ts';

/** The ways around the sector pages: the sectors as tabs, the breadcrumb, the month picker. */

/** Links to every sector, the current one marked; the month asked for goes along. */
export function SectorTabs({
  current,
  month,
  items,
}: {
  current?: string;
  month: string | null;
  items?: SectorSummary[];
}) {
  const { lang, t } = useSectorText();
  if (!items) return null;
  return (
    <nav className="sector-tabs" aria-label={t('sectorsNav')}>
      <ul>
        {items.map((s) => (
          <li key={s.code}>
            <AppLink
              to={sectorPath(s.code, month)}
              aria-current={s.code === current ? 'page' : undefined}
              data-testid={`tab-${s.code}`}
            >
              {lang === 'vi' ? s.nameVi : s.nameEn}
            </AppLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Breadcrumb({ name, t }: { name: string; t: SectorT }) {
  return (
    <nav aria-label={t('breadcrumb')} className="sector-crumbs">
      <ol>
        <li>
          <AppLink to={SECTORS_PATH}>{t('nav')}</AppLink>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}

/** The month shown, with the months before and after it that hold figures. */
export function MonthPicker({
  shown,
  listed,
  code,
  t,
}: {
  shown: SectorPeriod;
  /** the months holding values, newest first */
  listed: SectorMonth[];
  code: SectorCode;
  t: SectorT;
}) {
  const { lang } = useSectorText();
  const months = [...listed];
  if (!months.some((m) => m.id === shown.id)) {
    months.push({ id: shown.id, labelVi: shown.labelVi, labelEn: shown.labelEn, figures: 0 });
    months.sort((a, b) => (a.id < b.id ? 1 : -1));
  }
  const older = months.find((m) => m.id < shown.id && m.figures > 0);
  const newer = [...months].reverse().find((m) => m.id > shown.id && m.figures > 0);
  // Moves inside the sector pages keep the focus where it is (on the month picker, say).
  const navigate = useGo();
  const go = (id: string) => navigate(sectorPath(code, id));
  const label = (m: (typeof months)[number]) => (lang === 'vi' ? m.labelVi : m.labelEn);
  return (
    <div className="sector-months">
      <button
        type="button"
        className="btn btn-icon"
        disabled={!older}
        onClick={() => older && go(older.id)}
        aria-label={t('olderMonth')}
        title={older ? `${t('olderMonth')}: ${label(older)}` : t('olderMonth')}
      >
        ‹
      </button>
      <div className="field sector-month-field">
        <label htmlFor="sector-month">{t('month')}</label>
        <select
          id="sector-month"
          value={shown.id}
          onChange={(e) => go(e.target.value)}
          data-testid="month-picker"
        >
          {months.map((m) => (
            <option key={m.id} value={m.id}>
              {m.figures > 0
                ? t('monthOption', { label: label(m), n: m.figures })
                : t('monthOptionEmpty', { label: label(m) })}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="btn btn-icon"
        disabled={!newer}
        onClick={() => newer && go(newer.id)}
        aria-label={t('newerMonth')}
        title={newer ? `${t('newerMonth')}: ${label(newer)}` : t('newerMonth')}
      >
        ›
      </button>
    </div>
  );
}
