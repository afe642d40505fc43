import { formatNumber, formatPeriod } from '../../shared/format.ts';
import { useQualityText } from './messages.ts';
import { useBaseline, type Baseline, type Outlier } from './queries.ts';

/** DHIS2's period id (202406, 20240615) as Opsroom's, for a readable label. */
export function periodOf(pe: string): string {
  if (/^\d{6}$/.test(pe)) return `${pe.slice(0, 4)}-${pe.slice(4)}`;
  if (/^\d{8}$/.test(pe)) return `${pe.slice(0, 4)}-${pe.slice(4, 6)}-${pe.slice(6)}`;
  return pe;
}

const W = 320;
const H = 96;
const PAD = 6;

/** The baseline as points in time order: the normal band, the median, the value in red. */
function Plot({ b, label }: { b: Baseline; label: string }) {
  const values = b.points.map((p) => p.value);
  const lo = Math.min(...values, b.lowerBound ?? Infinity);
  const hi = Math.max(...values, b.upperBound ?? -Infinity);
  // A 1,000× slip would flatten everything else on a linear axis: a log axis when all > 0.
  const log = lo > 0 && hi / lo > 50;
  const f = (v: number) => (log ? Math.log10(Math.max(v, lo)) : v);
  const [a, z] = [f(lo), f(hi)];
  const y = (v: number) => H - PAD - ((f(v) - a) / (z - a || 1)) * (H - 2 * PAD);
  const x = (i: number) => PAD + (i / Math.max(1, b.points.length - 1)) * (W - 2 * PAD);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="dq-baseline-chart" role="img" aria-label={label}>
      {b.lowerBound !== null && b.upperBound !== null && (
        <rect
          x={PAD}
          width={W - 2 * PAD}
          y={y(b.upperBound)}
          height={Math.max(1, y(b.lowerBound) - y(b.upperBound))}
          className="dq-baseline-band"
        />
      )}
      {b.median !== null && (
        <line
          x1={PAD}
          x2={W - PAD}
          y1={y(b.median)}
          y2={y(b.median)}
          className="dq-baseline-median"
        />
      )}
      {b.points.map((p, i) => (
        <circle
          key={p.pe}
          cx={x(i)}
          cy={y(p.value)}
          r={p.self ? 4 : 2}
          className={p.self ? 'dq-baseline-self' : 'dq-baseline-point'}
        >
          <title>{`${periodOf(p.pe)}: ${p.value}`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** The "why" of a seasonal outlier: the values it was compared with, drawn small. */
export function BaselineChart({ outlier }: { outlier: Outlier }) {
  const { lang, t } = useQualityText();
  const q = useBaseline(outlier);
  if (q.isPending) return <p className="muted">{t('baselineLoading')}</p>;
  if (q.isError)
    return (
      <p className="dq-missing" role="alert">
        {t('baselineError')}
      </p>
    );
  const b = q.data;
  const first = b.points[0];
  const last = b.points.at(-1);
  const caption = t('baselineTitle', { n: b.points.length });
  return (
    <figure className="dq-baseline" data-testid="dq-baseline">
      <Plot b={b} label={caption} />
      <figcaption className="muted">
        {caption}
        {first &&
          last &&
          ` (${formatPeriod(lang, periodOf(first.pe))} – ${formatPeriod(lang, periodOf(last.pe))})`}
        {b.median !== null && ` · ${t('median')} ${formatNumber(lang, b.median)}`}
      </figcaption>
    </figure>
  );
}
