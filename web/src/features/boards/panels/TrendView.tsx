import { useMemo } from 'react';
import { formatCompact, formatPeriod, formatPeriodShort } from '../../../shared/format.ts';
import { ErrorBox, Loading } from '../../../shared/ui.tsx';
import { carriedText } from '../../room/carried.ts';
import type { TrendPoint } from '../../room/TrendChart.tsx';
import { useCharts } from '../../room/useCharts.ts';
import { cellIndex, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';

/** The first figure at the first unit over the panel's periods, on the room's trend chart. */
export function TrendView({ data, items, lang, t, ot, wall }: ViewProps) {
  const figure = data.figures[0]!;
  const unit = data.units[0];
  const item = items.get(figure.code);
  const points: TrendPoint[] = useMemo(() => {
    const at = cellIndex(data.cells);
    return data.periods.map((p) => {
      const cell = unit
        ? at(figure.code, p.id, unit.code)
        : data.cells.find((c) => c.dx === figure.code && c.pe === p.id);
      const carried = cell?.value != null && cell.carried && carriedText(lang, ot, cell.carried);
      return {
        label: formatPeriodShort(lang, p.id),
        title: formatPeriod(lang, p.id),
        value: cell?.value ?? null,
        note: carried ? `${carried.icon} ${carried.label}` : undefined,
      };
    });
  }, [data, figure.code, unit, lang, ot]);
  const format = useMemo(() => (v: number) => valueOf(lang, v, item), [lang, item]);
  const formatAxis = useMemo(() => (v: number) => formatCompact(lang, v, { decimals: 1 }), [lang]);
  const { charts, error } = useCharts();
  if (error) return <ErrorBox error={error} />;
  if (!charts) return <Loading />;
  const more = data.figures.length > 1 || data.units.length > 1;
  return (
    <div className="bp-chart">
      <div className="bp-canvas">
        <charts.TrendChart
          points={points}
          format={format}
          formatAxis={formatAxis}
          colour={wall ? '#f1e85c' : '#0b57a4'}
          textColour={wall ? '#d5deea' : '#4a5565'}
          gridColour={wall ? '#2a3547' : '#e3e8ef'}
          label={t('trendAlt', { indicator: figure.name, unit: unit?.name ?? '' })}
          big={wall}
        />
      </div>
      {more && <p className="bp-note">{t('trendMore')}</p>}
    </div>
  );
}
