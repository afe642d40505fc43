/**
 * The sector pages of the monthly briefing ("Tổng quan các lĩnh vực"): /linh-vuc lists the
 * sectors, /linh-vuc/an-toan-thong-tin?thang=2022-01 shows one sector's figures for a month —
 * each value as the ministry writes it, its changes, its parts, and the figures reported for
 * periods of their own (8 tháng đầu năm, the Tết week) labelled with those periods.
 */
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api.ts';
import { formatPeriod } from '../../shared/format.ts';
import { AppLink, useGo } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import {
  fetchCells,
  fetchSector,
  fetchSectors,
  type SectorDetail,
  type SectorSummary,
} from './data.ts';
import { FigureCard } from './FigureCard.tsx';
import { sectorOfSlug, SECTOR_SLUGS, useSectorText, type SectorT } from './messages.ts';
import './sectors.css';

export const SECTORS_PATH = '/linh-vuc';
const MONTH_PARAM = 'thang';

const sectorPath = (code: keyof typeof SECTOR_SLUGS, month?: string | null) =>
  `${SECTORS_PATH}/${SECTOR_SLUGS[code]}${month ? `?${MONTH_PARAM}=${encodeURIComponent(month)}` : ''}`;

/** The sectors change only with the metadata: asked once per page load (again after a failure). */
function useSectorList(): { items?: SectorSummary[]; error?: unknown } {
  const q = useQuery({
    queryKey: ['sectors'],
    queryFn: ({ signal }) => fetchSectors(signal).then((r) => r.items),
    staleTime: Infinity,
  });
  return { items: q.data, error: q.error ?? undefined };
}

/** `/linh-vuc`: the list of sectors (its route: web/src/app/router.tsx). */
export function SectorIndex() {
  const { lang, t } = useSectorText();
  const { items, error } = useSectorList();
  useEffect(() => {
    document.title = `${t('indexTitle')} — Opsroom`;
  }, [t]);
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

/** Links to every sector, the current one marked; the month asked for goes along. */
function SectorTabs({
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

function Breadcrumb({ name, t }: { name: string; t: SectorT }) {
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

/** `/linh-vuc/<slug>?thang=`: one sector's figures for a month. */
export function SectorView({ slug, month }: { slug: string; month: string | null }) {
  const { lang, t } = useSectorText();
  const code = sectorOfSlug(slug);
  const { items } = useSectorList();
  const detailQ = useQuery({
    queryKey: ['sector', code, month],
    queryFn: ({ signal }) => fetchSector(code!, month ?? undefined, signal),
    enabled: !!code,
  });
  const cellsQ = useQuery({
    queryKey: ['sector-cells', code, month],
    queryFn: ({ signal }) => fetchCells(detailQ.data!, signal),
    enabled: !!detailQ.data,
  });
  // A retry shows the spinner again, as a first load does.
  const current = detailQ.isFetching && !detailQ.data ? undefined : detailQ;
  const d = current?.data;
  const sectorName = d ? (lang === 'vi' ? d.sector.nameVi : d.sector.nameEn) : '';
  const monthLabel = d?.month ? (lang === 'vi' ? d.month.labelVi : d.month.labelEn) : '';

  useEffect(() => {
    if (sectorName)
      document.title = `${sectorName}${monthLabel ? ` — ${monthLabel}` : ''} — Opsroom`;
  }, [sectorName, monthLabel]);

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

  if (current?.error) {
    const bad = current.error instanceof ApiError && current.error.status === 400;
    const known = items?.find((s) => s.code === code);
    return (
      <div className="page sector-page">
        <Breadcrumb name={known ? (lang === 'vi' ? known.nameVi : known.nameEn) : slug} t={t} />
        <SectorTabs current={code} month={null} items={items} />
        <h1>{t('errTitle')}</h1>
        <ErrorBox error={current.error} testId="sector-error">
          <div className="alert-actions">
            {bad ? (
              <AppLink to={sectorPath(code)} className="btn">
                {t('openDefault')}
              </AppLink>
            ) : (
              <button type="button" className="btn" onClick={() => () => void detailQ.refetch()}>
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
  const cellsNow = cellsQ.isPending ? undefined : { data: cellsQ.data, error: cellsQ.error };
  const card = (f: (typeof d.figures)[number]) => (
    <FigureCard
      key={`${f.element}|${f.period.id}`}
      figure={f}
      element={elements.get(f.element)!}
      cells={cellsNow?.data}
      cellsLoading={!cellsNow}
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
        {d.month && <MonthPicker detail={d} code={code} t={t} />}
      </div>

      {cellsNow?.error ? <ErrorBox error={cellsNow.error} testId="cells-error" /> : null}

      {d.figures.length === 0 && (
        <div className="card sector-empty" role="status" data-testid="sector-empty">
          <p>
            {d.month
              ? t('noFigures', { sector: sectorName, month: monthLabel })
              : t('noDataAtAll', { sector: sectorName })}
          </p>
          {latest && d.month && latest.id !== d.month.id ? (
            <p>
              <AppLink
                to={sectorPath(code, latest.id)}

                data-testid="latest-month-link"
              >
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

function MonthPicker({
  detail,
  code,
  t,
}: {
  detail: SectorDetail;
  code: keyof typeof SECTOR_SLUGS;
  t: SectorT;
}) {
  const { lang } = useSectorText();
  const shown = detail.month!;
  const months = [...detail.months];
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
