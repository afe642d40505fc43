import { useMemo, type ReactNode } from 'react';
import { formatCompact, formatPeriod, formatPeriodShort, type Lang } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import type { TrendPoint } from './Charts.tsx';
import { carriedText } from './carried.ts';
import type { AnalyticsAnswer, Item } from './data.ts';
import type { OverviewT } from './messages.ts';
import type { ResolvedPeriod } from './state.ts';
import { valueText } from './Tiles.tsx';
import { useCharts } from './useCharts.ts';

/** The map's indicator at the unit over the days or months before the period. */
export function TrendPanel({
  lang,
  t,
  unitName,
  period,
  answer,
  error,
  item,
  mapName,
  dark,
  big,
  menu,
}: {
  lang: Lang;
  t: OverviewT;
  unitName: string | undefined;
  period: ResolvedPeriod;
  answer: AnalyticsAnswer | undefined;
  error: unknown;
  item: Item | undefined;
  mapName: string;
  dark: boolean;
  big: boolean;
  /** The panel's download menu (none on a wall). */
  menu?: ReactNode;
}) {
  const points: TrendPoint[] = useMemo(() => {
    const byPe = new Map((answer?.items ?? []).map((c) => [c.pe, c]));
    return period.trend.map((p) => {
      const cell = byPe.get(p.id);
      const carried = cell?.value != null && cell.carried && carriedText(lang, t, cell.carried);
      return {
        label: formatPeriodShort(lang, p),
        title: formatPeriod(lang, p),
        value: cell?.value ?? null,
        note: carried ? `${carried.icon} ${carried.label}` : undefined,
      };
    });
  }, [answer, period, lang, t]);
  const { charts, error: chartsError } = useCharts();
  return (
    <section className="ov-panel ov-trend" aria-labelledby="ov-trend-title">
      {menu}
      <div className="ov-panel-head">
        <h2 id="ov-trend-title">{t('trendTitle', { indicator: mapName })}</h2>
        <p className="muted">
          {unitName} · {period.trendKind === 'days' ? t('trendDays') : t('trendMonths')}
        </p>
      </div>
      {error || chartsError ? (
        <ErrorBox error={error ?? chartsError} />
      ) : !charts ? (
        <Loading />
      ) : (
        <charts.TrendChart
          points={points}
          format={(v) => valueText(lang, item, v, false)}
          formatAxis={(v) => formatCompact(lang, v, { decimals: 1 })}
          colour={dark ? '#f1e85c' : '#0b57a4'}
          textColour={dark ? '#d5deea' : '#4a5565'}
          gridColour={dark ? '#2a3547' : '#e3e8ef'}
          label={t('trendTitle', { indicator: mapName })}
          big={big}
        />
      )}
    </section>
  );
}
