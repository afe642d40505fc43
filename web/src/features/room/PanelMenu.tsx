import { useRef, useState, type KeyboardEvent } from 'react';
import type { Lang } from '../../shared/format.ts';
import type { OverviewT } from './messages.ts';
import { loadCharts } from './useCharts.ts';

/** The question behind a panel, as the panel asked it (the file has the screen's figures). */
export interface PanelQuery {
  dx: string[];
  pe: string[];
  ou: string[];
  version: string;
  /** The comparisons the panel shows (year-over-year, previous period, target). */
  changes?: boolean;
}

/** `/api/analytics.csv` (or .xlsx) for a panel's question, named in the reader's language. */
export function exportHref(format: 'csv' | 'xlsx', q: PanelQuery, lang: Lang): string {
  const p = new URLSearchParams();
  p.append('dimension', `dx:${q.dx.join(';')}`);
  p.append('dimension', `pe:${q.pe.join(';')}`);
  p.append('dimension', `ou:${q.ou.join(';')}`);
  p.set('version', q.version);
  if (q.changes) p.set('includeChanges', 'true');
  p.set('outputIdScheme', 'NAME');
  p.set('lang', lang);
  return `/api/analytics.${format}?${p.toString()}`;
}

/** "Bản đồ: Số ca dương tính" → "ban-do-so-ca-duong-tinh": a file name without marks. */
export function fileSlug(...parts: string[]): string {
  return parts
    .join(' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A panel's "Tải xuống" menu: its data as CSV and XLSX (links to the API with the panel's own
 * question), its chart as PNG when it has one, and the page's print layout. A <details>: opened
 * and walked with the keyboard (Enter, Tab; Escape closes) and by touch without a script of ours.
 */
export function PanelMenu({
  t,
  lang,
  panel,
  file,
  query,
  png,
}: {
  t: OverviewT;
  lang: Lang;
  /** The panel's title, for the button's accessible name. */
  panel: string;
  /** The files' name without extension. */
  file: string;
  query: PanelQuery | undefined;
  /** The chart's background, when the panel draws one (then PNG is offered). */
  png?: string;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [failed, setFailed] = useState(false);
  const close = () => {
    if (ref.current) ref.current.open = false;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !ref.current?.open) return;
    close();
    ref.current.querySelector('summary')?.focus();
  };
  const savePng = async () => {
    const el = ref.current?.closest('section')?.querySelector<HTMLElement>('[_echarts_instance_]');
    const { chartImage } = await loadCharts();
    const url = el ? chartImage(el, png!) : undefined;
    setFailed(!url);
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = `${file}.png`;
    a.click();
    close();
  };
  return (
    <details className="panel-menu" ref={ref} onKeyDown={onKey} data-testid="panel-menu">
      <summary aria-label={t('downloadOf', { panel })}>
        <span aria-hidden="true">⤓</span>
        {t('download')}
      </summary>
      <ul>
        {query && (
          <>
            <li>
              <a href={exportHref('csv', query, lang)} download={`${file}.csv`} onClick={close}>
                {t('downloadCsv')}
              </a>
            </li>
            <li>
              <a href={exportHref('xlsx', query, lang)} download={`${file}.xlsx`} onClick={close}>
                {t('downloadXlsx')}
              </a>
            </li>
          </>
        )}
        {png && (
          <li>
            <button type="button" onClick={() => void savePng()}>
              {t('downloadPng')}
            </button>
          </li>
        )}
        <li>
          <button
            type="button"
            onClick={() => {
              close();
              window.print();
            }}
          >
            {t('downloadPrint')}
          </button>
        </li>
      </ul>
      {failed && (
        <p className="panel-menu-note" role="status">
          {t('downloadPngFailed')}
        </p>
      )}
    </details>
  );
}
