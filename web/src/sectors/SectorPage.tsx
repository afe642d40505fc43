/**
 * The sector pages of the monthly briefing ("Tổng quan các lĩnh vực"): /linh-vuc lists the
 * sectors, /linh-vuc/an-toan-thong-tin?thang=2022-01 shows one sector's figures for a month —
 * each value as the ministry writes it, its changes, its parts, and the figures reported for
 * periods of their own (8 tháng đầu năm, the Tết week) labelled with those periods.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../api.ts';
import { formatPeriod } from '../format.ts';
import { ErrorBox, Loading } from '../ui.tsx';
import {
  fetchCells,
  fetchSector,
  fetchSectors,
  linkTo,
  navigate,
  useLocation,
  type Cell,
  type SectorDetail,
  type SectorSummary,
} from './data.ts';
import { FigureCard } from './FigureCard.tsx';
import { sectorOfSlug, SECTOR_SLUGS, useSectorText, type SectorT } from './messages.ts';
import './sectors.css';

export const SECTORS_PATH = '/linh-vuc';
const MONTH_PARAM = 'thang';

export const isSectorsPath = (pathname: string) =>
  pathname === SECTORS_PATH || pathname.startsWith(SECTORS_PATH + '/');

const sectorPath = (code: keyof typeof SECTOR_SLUGS, month?: string | null) =>
  `${SECTORS_PATH}/${SECTOR_SLUGS[code]}${month ? `?${MONTH_PARAM}=${encodeURIComponent(month)}` : ''}`;

/** The sectors change only with the metadata: asked once per page load. */
let sectorList: Promise<SectorSummary[]> | undefined;
function useSectorList(): { items?: SectorSummary[]; error?: unknown } {
  const [state, setState] = useState<{ items?: SectorSummary[]; error?: unknown }>({});
  useEffect(() => {
    let live = true;
    sectorList ??= fetchSectors().then((r) => r.items);
    sectorList.then(
      (items) => live && setState({ items }),
      (error) => {
        sectorList = undefined;
        if (live) setState({ error });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

export function SectorsArea() {
  const loc = useLocation();
  const url = new URL(loc, location.origin);
  const rest = url.pathname.slice(SECTORS_PATH.length).replace(/^\/+|\/+$/g, '');
  if (!rest) return <SectorIndex />;
  return <SectorView slug={decodeURIComponent(rest)} month={url.searchParams.get(MONTH_PARAM)} />;
}

function SectorIndex() {
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
                <a
                  className="card sector-index-card"
                  href={sectorPath(s.code)}
                  onClick={linkTo(sectorPath(s.code))}
                  aria-label={t('indexOpen', { name })}
                >
                  <span className="sector-index-name">{name}</span>
                  <span className="sector-index-meta">
                    {s.latestMonth
                      ? t('indexLatest', { month: formatPeriod(lang, s.latestMonth) })
                      : t('indexNoData')}
                  </span>
                  <span className="sector-index-meta">{t('indexElements', { n: s.elements })}</span>
                </a>
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
            <a
              href={sectorPath(s.code, month)}
              onClick={linkTo(sectorPath(s.code, month))}
              aria-current={s.code === current ? 'page' : undefined}
              data-testid={`tab-${s.code}`}
            >
              {lang === 'vi' ? s.nameVi : s.nameEn}
            </a>
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
          <a href={SECTORS_PATH} onClick={linkTo(SECTORS_PATH)}>
            {t('nav')}
          </a>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}

function SectorView({ slug, month }: { slug: string; month: string | null }) {
  const { lang, t } = useSectorText();
  const code = sectorOfSlug(slug);
  const { items } = useSectorList();
  const [detail, setDetail] = useState<{ key: string; data?: SectorDetail; error?: unknown }>();
  const [cells, setCells] = useState<{ key: string; data?: Map<string, Cell>; error?: unknown }>();
  const [attempt, setAttempt] = useState(0);
  const key = `${code}|${month ?? ''}|${attempt}`;

  useEffect(() => {
    if (!code) return;
    const ctl = new AbortController();
    setCells(undefined);
    fetchSector(code, month ?? undefined, ctl.signal).then(
      (data) => {
        setDetail({ key, data });
        fetchCells(data, ctl.signal).then(
          (c) => setCells({ key, data: c }),
          (error) => {
            if (!ctl.signal.aborted) setCells({ key, error });
          },
        );
      },
      (error) => {
        if (!ctl.signal.aborted) setDetail({ key, error });
      },
    );
    return () => ctl.abort();
  }, [code, month, key]);

  const current = detail?.key === key ? detail : undefined;
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
              <a className="btn" href={sectorPath(code)} onClick={linkTo(sectorPath(code))}>
                {t('openDefault')}
              </a>
            ) : (
              <button type="button" className="btn" onClick={() => setAttempt((a) => a + 1)}>
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
  const cellsNow = cells?.key === key ? cells : undefined;
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
              <a
                href={sectorPath(code, latest.id)}
                onClick={linkTo(sectorPath(code, latest.id))}
                data-testid="latest-month-link"
              >
                {t('latestLink', { month: lang === 'vi' ? latest.labelVi : latest.labelEn })}
              </a>
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
