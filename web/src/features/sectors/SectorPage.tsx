/**
 * The sector pages of the monthly briefing ("Tổng quan các lĩnh vực"): /linh-vuc lists the
 * sectors, /linh-vuc/an-toan-thong-tin?thang=2022-01 shows one sector's figures for a month —
 * each value as the ministry writes it, its changes, its parts, and the figures reported for
 * periods of their own (8 tháng đầu năm, the Tết week) labelled with those periods.
 */
import { usePageTitle } from '../../shared/title.ts';
import { ApiError } from '../../shared/api/client.ts';
import { formatPeriod } from '../../shared/format.ts';
import { AppLink } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { FigureCard } from './FigureCard.tsx';
import { sectorOfSlug, useSectorText } from './messages.ts';
import { sectorPath } from './paths.ts';
import { Breadcrumb, MonthPicker, SectorTabs } from './SectorNav.tsx';
import { useSectorList, useSectorPage } from './useSector.ts';
import './sectors.css';

export { SECTORS_PATH } from './paths.ts';

/** `/linh-vuc`: the list of sectors (its route: web/src/app/router.tsx). */
export function SectorIndex() {
  const { lang, t } = useSectorText();
  const { data: items, error } = useSectorList();
  usePageTitle(t('indexTitle'));
  return (
    <div className="page sector-page">
      <div className="page-head">
        <h1>{t('indexTitle')}</h1>
        <p className="muted">{t('indexIntro')}</p>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {!items && !error ? <Loading /> : null}
      {items && (
        <ul className="sector-index" data-testid="sector-index">
          {items.map((s) => {
            const name = lang === 'vi' ? s.nameVi : s.nameEn;
            return (
              <li key={s.code}>
                <AppLink
                  to={sectorPath(s.code)}
                  className="card sector-index-card"
                  aria-label={t('indexOpen', { name })}
                >
                  <span className="sector-index-name">{name}</span>
                  <span className="sector-index-meta">
                    {s.latestMonth
                      ? t('indexLatest', { month: formatPeriod(lang, s.latestMonth) })
                      : t('indexNoData')}
                  </span>
                  <span className="sector-index-meta">{t('indexElements', { n: s.elements })}</span>
                </AppLink>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** `/linh-vuc/<slug>?thang=`: one sector's figures for a month. */
export function SectorView({ slug, month }: { slug: string; month: string | null }) {
  const { lang, t } = useSectorText();
  const code = sectorOfSlug(slug);
  const { data: items } = useSectorList();
  const { detail: d, error, retry, cells, cellsLoading, cellsError } = useSectorPage(code, month);
  const sectorName = d ? (lang === 'vi' ? d.sector.nameVi : d.sector.nameEn) : '';
  const monthLabel = d?.month ? (lang === 'vi' ? d.month.labelVi : d.month.labelEn) : '';

  usePageTitle(sectorName ? `${sectorName}${monthLabel ? ` — ${monthLabel}` : ''}` : '');

  if (!code) {
    return (
      <div className="page sector-page">
        <Breadcrumb name={slug} t={t} />
        <div className="alert" role="alert" data-testid="sector-unknown">
          <span className="alert-icon" aria-hidden="true">
            !
          </span>
          <div className="alert-body">
            <p>{t('unknownSector', { slug })}</p>
            <p>{t('chooseSector')}</p>
          </div>
        </div>
        <SectorTabs month={null} items={items} />
      </div>
    );
  }

  if (error) {
    const bad = error instanceof ApiError && error.status === 400;
    const known = items?.find((s) => s.code === code);
    return (
      <div className="page sector-page">
        <Breadcrumb name={known ? (lang === 'vi' ? known.nameVi : known.nameEn) : slug} t={t} />
        <SectorTabs current={code} month={null} items={items} />
        <h1>{t('errTitle')}</h1>
        <ErrorBox error={error} testId="sector-error">
          <div className="alert-actions">
            {bad ? (
              <AppLink to={sectorPath(code)} className="btn">
                {t('openDefault')}
              </AppLink>
            ) : (
              <button type="button" className="btn" onClick={retry}>
                {t('retry')}
              </button>
            )}
          </div>
        </ErrorBox>
      </div>
    );
  }

  if (!d) {
    return (
      <div className="page sector-page">
        <SectorTabs current={code} month={month} items={items} />
        <Loading />
      </div>
    );
  }

  const elements = new Map(d.elements.map((e) => [e.code, e]));
  const own = d.figures.filter((f) => f.placement !== 'span');
  const spans = d.figures.filter((f) => f.placement === 'span');
  const card = (f: (typeof d.figures)[number]) => (
    <FigureCard
      key={`${f.element}|${f.period.id}`}
      figure={f}
      element={elements.get(f.element)!}
      cells={cells}
      cellsLoading={cellsLoading}
      lang={lang}
      t={t}
    />
  );
  const latest = d.months[0];

  return (
    <div className="page sector-page" data-testid="sector-page" data-sector={d.sector.code}>
      <Breadcrumb name={sectorName} t={t} />
      <SectorTabs current={code} month={month} items={items} />
      <div className="sector-head">
        <div>
          <h1 data-testid="sector-title">{sectorName}</h1>
          <p className="muted">{[monthLabel, t('nation')].filter(Boolean).join(' · ')}</p>
        </div>
        {d.month && <MonthPicker shown={d.month} listed={d.months} code={code} t={t} />}
      </div>

      {cellsError ? <ErrorBox error={cellsError} testId="cells-error" /> : null}

      {d.figures.length === 0 && (
        <div className="card sector-empty" role="status" data-testid="sector-empty">
          <p>
            {d.month
              ? t('noFigures', { sector: sectorName, month: monthLabel })
              : t('noDataAtAll', { sector: sectorName })}
          </p>
          {latest && d.month && latest.id !== d.month.id ? (
            <p>
              <AppLink to={sectorPath(code, latest.id)} data-testid="latest-month-link">
                {t('latestLink', { month: lang === 'vi' ? latest.labelVi : latest.labelEn })}
              </AppLink>
            </p>
          ) : d.month ? (
            <p className="muted">{t('noFiguresHint')}</p>
          ) : null}
        </div>
      )}

      {own.length > 0 && (
        <section aria-labelledby="sector-month-title" className="sector-section">
          <h2 id="sector-month-title" className="sector-section-title">
            {t('monthFigures', { month: monthLabel })}
          </h2>
          <div className="sector-grid">{own.map(card)}</div>
        </section>
      )}

      {spans.length > 0 && (
        <section aria-labelledby="sector-span-title" className="sector-section">
          <h2 id="sector-span-title" className="sector-section-title">
            {t('spanFigures')}
          </h2>
          <p className="muted">{t('spanFiguresHint')}</p>
          <div className="sector-grid">{spans.map(card)}</div>
        </section>
      )}
    </div>
  );
}
