import { lazy, Suspense, useMemo } from 'react';
import { formatCompact, formatPeriod, formatPeriodShort } from '../../../shared/format.ts';
import { ErrorBox, Loading } from '../../../shared/ui.tsx';
import { carriedText } from '../../room/carried.ts';
import type { TrendPoint } from '../../room/TrendChart.tsx';
import { useCharts } from '../../room/useCharts.ts';
import { cellIndex, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';
import type { TrendLine } from './TrendLines.tsx';

const TrendLines = lazy(() => import('./TrendLines.tsx'));

/** Lines past this are left to the download: a chart of 30 lines reads as none. */
const MAX_LINES = 8;

/** One line per figure and unit the panel names, at most MAX_LINES. */
function trendLines(data: ViewProps['data']): { lines: TrendLine[]; cut: boolean } {
  const at = cellIndex(data.cells);
  const units = data.units.length > 0 ? data.units : [undefined];
  const all = data.figures.flatMap((f) =>
    units.map((u) => ({
      name:
        u && units.length > 1
          ? data.figures.length > 1
            ? `${f.name} — ${u.name}`
            : u.name
          : f.name,
      values: data.periods.map((p) => {
        const cell = u
          ? at(f.code, p.id, u.code)
          : data.cells.find((c) => c.dx === f.code && c.pe === p.id);
        return cell?.value ?? null;
      }),
    })),
  );
  return { lines: all.slice(0, MAX_LINES), cut: all.length > MAX_LINES };
}

/**
 * The panel's figures over its periods: one figure at one unit on the room's trend chart, several
 * figures or units as lines on one chart with a legend.
 */
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
  const many = data.figures.length > 1 || data.units.length > 1;
  const several = useMemo(() => (many ? trendLines(data) : undefined), [many, data]);
  const { charts, error } = useCharts();
  if (error) return <ErrorBox error={error} />;
  if (!charts) return <Loading />;
  if (several)
    return (
      <div className="bp-chart">
        <div className="bp-canvas">
          <Suspense fallback={<Loading />}>
            <TrendLines
              labels={points.map((p) => p.label)}
              titles={points.map((p) => p.title)}
              lines={several.lines}
              format={format}
              formatAxis={formatAxis}
              label={t('trendLinesAlt', { lines: several.lines.map((l) => l.name).join(', ') })}
              wall={wall}
            />
          </Suspense>
        </div>
        {several.cut && <p className="bp-note">{t('trendMore', { n: MAX_LINES })}</p>}
      </div>
    );
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
    </div>
  );
}
