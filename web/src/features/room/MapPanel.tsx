import { useMemo, type ReactNode } from 'react';
import type { OrgUnitDetail } from '../../shared/api/types.ts';
import { unitLabel, type Lang } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import type { GeoEntry, GeoJSON, Item } from './data.ts';
import type { OverviewT } from './messages.ts';
import type { Place } from './place.ts';
import type { RegionsModel } from './regions.ts';
import { DARK_MAP, LIGHT_MAP } from './scale.ts';
import { useCharts } from './useCharts.ts';

/** The map of the frame's units (or of every commune), coloured by one indicator. */
export function MapPanel({
  lang,
  t,
  unit,
  frame,
  version,
  allMode,
  mapEntry,
  geo,
  geoError,
  values,
  valuesReady,
  place,
  model,
  item,
  mapName,
  periodLabel,
  hasAlerts,
  dark,
  wall,
  onSelect,
  menu,
}: {
  lang: Lang;
  t: OverviewT;
  unit: OrgUnitDetail | undefined;
  frame: Place['frame'] | undefined;
  version: string;
  allMode: boolean;
  mapEntry: GeoEntry | undefined;
  geo: GeoJSON | undefined;
  geoError: unknown;
  /** Whether the map's values have come (at least once). */
  values: boolean;
  /** Whether they have come and no refresh is running. */
  valuesReady: boolean;
  place: Place | undefined;
  model: RegionsModel;
  item: Item | undefined;
  mapName: string;
  periodLabel: string;
  hasAlerts: boolean;
  dark: boolean;
  wall: boolean;
  onSelect: (code: string) => void;
  /** The panel's download menu (none on a wall). */
  menu?: ReactNode;
}) {
  const { charts, error: chartsError } = useCharts();
  const archipelagoNames = useMemo(
    () => ({ hoang_sa: t('archipelagoHoangSa'), truong_sa: t('archipelagoTruongSa') }),
    [t],
  );
  return (
    <section className="ov-panel ov-map" aria-labelledby="ov-map-title">
      {menu}
      <div className="ov-panel-head">
        <h2 id="ov-map-title">{t('mapTitle', { indicator: mapName })}</h2>
        {frame && (
          <p className="muted">
            {t('mapOf', {
              unit: allMode ? t('mapAllCommunes') : frame.fullName,
              period: periodLabel,
            })}
          </p>
        )}
      </div>
      {!frame ? (
        <Loading />
      ) : !mapEntry ? (
        <p className="ov-nomap" data-testid="map-none">
          {t('mapNone', { unit: frame.fullName, version })}
        </p>
      ) : geoError || chartsError ? (
        <ErrorBox error={geoError ?? chartsError} />
      ) : !geo || (allMode && !values) || !place || !charts ? (
        // Thousands of communes are drawn once, with their colours, not once bare and again.
        <Loading label={t('mapLoading')} />
      ) : (
        <charts.ChoroplethMap
          mapKey={`${mapEntry.version}|${mapEntry.parent}|${mapEntry.level}|${mapEntry.etag}`}
          geo={geo}
          regions={model.regions}
          theme={dark ? DARK_MAP : LIGHT_MAP}
          label={t('mapAlt', {
            units: allMode ? t('mapAllCommunes') : frame.fullName,
            indicator: mapName,
          })}
          onSelect={onSelect}
          dense={allMode}
          ready={valuesReady}
          focus={unit && frame && unit.code !== frame.code ? unit.code : undefined}
          // A wall is read from across the room: names and values; thousands of communes: none.
          labels={allMode ? 'none' : wall ? 'values' : 'names'}
          archipelagoNames={archipelagoNames}
        />
      )}
      {frame && <Legend model={model} t={t} lang={lang} item={item} hasAlerts={hasAlerts} />}
      {mapEntry && !wall && <p className="hint">{t('drillHint')}</p>}
    </section>
  );
}

function Legend({
  model,
  t,
  lang,
  item,
  hasAlerts,
}: {
  model: RegionsModel;
  t: OverviewT;
  lang: Lang;
  item: Item | undefined;
  hasAlerts: boolean;
}): ReactNode {
  if (model.regions.length === 0) return null;
  return (
    <div className="legend" data-testid="legend">
      <span className="legend-title">
        {t('legend')}
        {item?.unit && unitLabel(lang, item.unit) ? ` (${unitLabel(lang, item.unit)})` : ''}:
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
            {t('mapNoValue')}
          </li>
        )}
        {model.hasOutOfScope && (
          <li>
            <span className="swatch swatch-out" aria-hidden="true" />
            {t('mapOutOfScope')}
          </li>
        )}
        {hasAlerts && (
          <li>
            <span className="swatch swatch-alert" aria-hidden="true" />
            {t('legendAlert')}
          </li>
        )}
      </ul>
      {model.legend.length > 1 && (
        <span className="legend-note" data-testid="legend-note">
          {model.legendNote}
        </span>
      )}
    </div>
  );
}
