import { lazy, Suspense, useCallback, useMemo } from 'react';
import { formatNumber } from '../../shared/format.ts';
import { Loading } from '../../shared/ui.tsx';
import type { BoardCounts, BoardRow } from './data.ts';
import { useDirText, type DirKey } from './messages.ts';

const StackedBars = lazy(() =>
  import('./BoardChart.tsx').then((m) => ({ default: m.StackedBars })),
);

/** More bars than this do not read: the chart shows the units with most work left. */
const CHART_MAX = 25;

/**
 * The parts of a stacked bar, each task in exactly one: read and acknowledged count every task
 * that was ever read or acknowledged, in progress / done / blocked count the current status.
 */
export function stackParts(c: BoardCounts) {
  const started = c.inProgress + c.done + c.blocked;
  const ackOnly = Math.max(0, c.acknowledged - started);
  const readOnly = Math.max(0, c.read - Math.max(c.acknowledged, started));
  const unread = Math.max(0, c.total - Math.max(c.read, c.acknowledged, started));
  return { done: c.done, inProgress: c.inProgress, blocked: c.blocked, ackOnly, readOnly, unread };
}

const PARTS: { key: keyof ReturnType<typeof stackParts>; label: DirKey; colour: string }[] = [
  { key: 'done', label: 'done', colour: '#1e7b3c' },
  { key: 'inProgress', label: 'inProgress', colour: '#0b57a4' },
  { key: 'blocked', label: 'blocked', colour: '#b3131b' },
  { key: 'ackOnly', label: 'acknowledged', colour: '#6fa8dc' },
  { key: 'readOnly', label: 'read', colour: '#c9a227' },
  { key: 'unread', label: 'unread', colour: '#b9c3d0' },
];

/** The stacked bars of the board's rows; a bar opens its unit. */
export function BoardChartCard({
  all,
  onOpen,
}: {
  all: BoardRow[];
  onOpen: (u: BoardRow['unit']) => void;
}) {
  const { lang, t } = useDirText();
  const fmt = useCallback((n: number) => formatNumber(lang, n), [lang]);
  const rows = useMemo(
    () =>
      all.length > CHART_MAX
        ? [...all].sort((a, b) => b.total - b.done - (a.total - a.done)).slice(0, CHART_MAX)
        : all,
    [all],
  );
  const labels = useMemo(() => rows.map((r) => r.unit.name), [rows]);
  const series = useMemo(
    () =>
      PARTS.map((p) => ({
        name: t(p.label),
        colour: p.colour,
        values: rows.map((r) => stackParts(r)[p.key]),
      })),
    // t follows lang
    [rows, lang],
  );
  return (
    <section className="card dir-chart-card" aria-labelledby="chart-title">
      <h2 id="chart-title" className="section-title">
        {t('chartTitle')}
      </h2>
      <p className="sr-only">{t('chartAlt')}</p>
      {all.length > CHART_MAX && (
        <p className="muted dir-chart-note">
          {t('chartTop', { n: CHART_MAX, total: formatNumber(lang, all.length) })}
        </p>
      )}
      <Suspense fallback={<Loading />}>
        <StackedBars
          labels={labels}
          series={series}
          format={fmt}
          onPick={(i) => {
            const r = rows[i];
            if (r) onOpen(r.unit);
          }}
        />
      </Suspense>
    </section>
  );
}
