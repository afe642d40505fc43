import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { unitLabel } from '../../../shared/format.ts';
import { shownError } from '../../../shared/query.ts';
import { ErrorBox, Loading } from '../../../shared/ui.tsx';
import { loadGeo } from '../../room/data.ts';
import { DARK_MAP, LIGHT_MAP } from '../../room/scale.ts';
import { useCharts } from '../../room/useCharts.ts';
import { useGeoIndex } from './data.ts';
import { mapEntryFor, mapModel, periodsLabel, unitCellIndex, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';

/**
 * The panel's units coloured by its first figure on the room's choropleth (Hoàng Sa and Trường
 * Sa named where the map holds them); on a wall, the units' names and values are written on it.
 * Units without a boundary map are listed with their values.
 */
export function MapView({ data, items, lang, t, ot, wall }: ViewProps) {
  const figure = data.figures[0]!;
  const item = items.get(figure.code);
  const version = data.query?.version ?? data.version;
  const geoIndex = useGeoIndex();
  const entry = geoIndex.data ? mapEntryFor(geoIndex.data, data.units, version) : undefined;
  const geoQ = useQuery({
    queryKey: ['room', 'geo', entry?.href],
    queryFn: () => loadGeo(entry!),
    enabled: !!entry,
    staleTime: Infinity,
  });
  const { charts, error: chartsError } = useCharts();
  const periodLabel = periodsLabel(data.periods);
  const values = useMemo(() => {
    const at = unitCellIndex(data.cells);
    return new Map(data.units.map((u) => [u.code, at(figure.code, u.code)?.value ?? null]));
  }, [data, figure.code]);
  const model = useMemo(
    () =>
      mapModel({
        lang,
        features: geoQ.data?.features ?? [],
        units: data.units,
        values,
        direction: figure.direction,
        format: item,
        dark: wall,
        words: {
          noValue: ot('mapNoValue'),
          outOfScope: t('mapOutOfPanel'),
          rank: (rank, total) => t('mapRank', { rank, total }),
        },
      }),
    [lang, geoQ.data, data.units, values, figure.direction, item, wall, ot, t],
  );
  const archipelagoNames = useMemo(
    () => ({ hoang_sa: ot('archipelagoHoangSa'), truong_sa: ot('archipelagoTruongSa') }),
    [ot],
  );
  const geoError = shownError(geoQ) ?? chartsError;

  if (!geoIndex.data) return <Loading />;
  if (!entry)
    return (
      <div className="bp-map-list">
        <p className="bp-note" data-testid="map-none">
          {t('mapNoBoundary')}
        </p>
        <ul>
          {data.units.map((u) => (
            <li key={u.code}>
              <span>{u.name}</span>
              <span className="num">{valueOf(lang, values.get(u.code), item)}</span>
            </li>
          ))}
        </ul>
      </div>
    );
  if (geoError) return <ErrorBox error={geoError} />;
  if (!geoQ.data || !charts) return <Loading label={ot('mapLoading')} />;
  const unit = unitLabel(lang, item?.unit);
  return (
    <div className="bp-map">
      <div className="bp-canvas">
        <charts.ChoroplethMap
          mapKey={`${entry.version}|${entry.parent}|${entry.level}|${entry.etag}`}
          geo={geoQ.data}
          regions={model.regions}
          theme={wall ? DARK_MAP : LIGHT_MAP}
          label={t('mapAlt', { indicator: figure.name, period: periodLabel })}
          onSelect={() => {}}
          dense={entry.features > 1000}
          ready
          labels={wall ? 'values' : 'none'}
          archipelagoNames={archipelagoNames}
          // Measured: the fade held the map's last colours a second after it was drawn.
          fadeIn={false}
        />
      </div>
      {model.legend.length > 0 && (
        <div className="legend bp-legend" data-testid="legend">
          <span className="legend-title">
            {ot('legend')}
            {unit ? ` (${unit})` : ''}:
          </span>
          <ul>
            {model.legend.map((l) => (
              <li key={l.label}>
                <span className="swatch" style={{ background: l.colour }} aria-hidden="true" />
                {l.label}
              </li>
            ))}
            {model.hasNoData && (
              <li>
                <span className="swatch swatch-nodata" aria-hidden="true" />
                {ot('mapNoValue')}
              </li>
            )}
          </ul>
          <span className="legend-note">
            {ot(model.legendNote, { shade: ot(wall ? 'legendBrighter' : 'legendDarker') })}
          </span>
        </div>
      )}
    </div>
  );
}
