import { lazy, Suspense, useMemo } from 'react';
import { formatCompact } from '../../../shared/format.ts';
import { Loading } from '../../../shared/ui.tsx';
import { cellIndex, shownPeriod, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';

const BreakdownBars = lazy(() => import('./BreakdownBars.tsx'));

/**
 * A figure's parts as bars: one per figure (ELEMENT.OPTION: a breakdown's option), and per unit
 * when the panel names several, in the panel's order.
 */
export function BreakdownView({ data, items, lang, t, wall }: ViewProps) {
  const bars = useMemo(() => {
    const pe = shownPeriod(data);
    const at = cellIndex(data.cells);
    const units = data.units.length > 0 ? data.units : [undefined];
    return data.figures.flatMap((f) =>
      units.map((u) => {
        const cell =
          pe && u ? at(f.code, pe, u.code) : data.cells.find((c) => c.dx === f.code && c.pe === pe);
        const value = cell?.value ?? null;
        const name =
          units.length > 1 && u
            ? data.figures.length > 1
              ? `${f.name} — ${u.name}`
              : u.name
            : f.name;
        return { name, value, label: valueOf(lang, value, items.get(f.code)) };
      }),
    );
  }, [data, items, lang]);
  const formatAxis = useMemo(() => (v: number) => formatCompact(lang, v, { decimals: 1 }), [lang]);
  if (bars.every((b) => b.value === null)) return <p className="bp-empty">{t('noValues')}</p>;
  const summary = bars.map((b) => `${b.name} ${b.label}`).join('; ');
  return (
    <div className="bp-chart">
      <div className="bp-canvas">
        <Suspense fallback={<Loading />}>
          <BreakdownBars
            bars={bars}
            label={t('breakdownAlt', { items: summary })}
            colour={wall ? '#f1e85c' : '#0b57a4'}
            textColour={wall ? '#d5deea' : '#4a5565'}
            gridColour={wall ? '#2a3547' : '#e3e8ef'}
            formatAxis={formatAxis}
            big={wall}
          />
        </Suspense>
      </div>
    </div>
  );
}
