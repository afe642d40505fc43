import { lazy, Suspense } from 'react';
import { formatPercent, type Lang } from '../../shared/format.ts';
import { Loading } from '../../shared/ui.tsx';
import { valueParts } from './figureText.ts';
import type { SectorT } from './messages.ts';

const BreakdownChart = lazy(() => import('./BreakdownChart.tsx'));

/** One part of a figure, with its slice colour. */
export interface Part {
  code: string;
  name: string;
  value: number | null;
  colour: string;
}

/** A figure's parts: a donut beside the list of their values and shares. */
export function Breakdown({
  name,
  parts,
  total,
  unit,
  lang,
  t,
}: {
  name: string;
  parts: Part[];
  total: number | null;
  unit: string | null;
  lang: Lang;
  t: SectorT;
}) {
  const bars = parts.flatMap((p) =>
    p.value === null
      ? []
      : [
          {
            name: p.name,
            value: p.value,
            label: valueParts(lang, p.value, unit).num,
            colour: p.colour,
          },
        ],
  );
  const summary = bars.map((b) => `${b.name} ${b.label}`).join('; ');
  return (
    <section className="sector-breakdown" aria-label={t('breakdown', { name })}>
      <h4>{t('breakdown', { name })}</h4>
      <div className="sector-breakdown-body">
        {bars.length > 0 && (
          <Suspense fallback={<Loading />}>
            <BreakdownChart bars={bars} label={t('breakdownChart', { name, items: summary })} />
          </Suspense>
        )}
        <ul className="sector-parts" data-testid="breakdown">
          {parts.map((p) => (
            <li key={p.code} data-testid={`part-${p.code}`}>
              <span className="sector-swatch" style={{ background: p.colour }} aria-hidden="true" />
              <span className="sector-part-name">{p.name}</span>
              <span className="sector-part-value">
                {p.value === null ? '–' : valueParts(lang, p.value, unit).num}
              </span>
              {p.value !== null && total ? (
                <span className="sector-part-share">
                  {t('share', { pct: formatPercent(lang, (p.value / total) * 100, 1) })}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
