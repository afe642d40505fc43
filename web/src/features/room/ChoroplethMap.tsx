import { useEffect, useMemo, useRef, useState } from 'react';
import type { GeoJSON } from './data.ts';
import { echarts, useChart } from './echarts.ts';
import { insetKey, mapOption, type MapLabels, type MapTheme, type Region } from './mapOption.ts';
import { archipelagoSpots, focusView, splitFar, type Archipelago } from './mapView.ts';

export type { Archipelago, MapLabels, MapTheme, Region };

const registered = new Set<string>();

/**
 * A choropleth of the units of one boundary map. Regions are keyed by unit code; a click on a
 * unit in scope calls `onSelect`. When the map has drawn, the container carries the sum and the
 * count of the values drawn (`data-total`, `data-drawn`): what a browser test waits for; and
 * the archipelagos it names (`data-archipelagos`) and the units drawn in its inset of far-off
 * islands (`data-inset`), which a canvas does not show to a test.
 */
export function ChoroplethMap({
  mapKey,
  geo,
  regions,
  theme,
  label,
  onSelect,
  dense,
  ready,
  focus,
  labels,
  archipelagoNames,
  fadeIn,
}: {
  mapKey: string;
  geo: GeoJSON;
  regions: Region[];
  theme: MapTheme;
  label: string;
  onSelect: (code: string) => void;
  /** Thousands of small regions: thinner borders, no hover animation. */
  dense?: boolean;
  /** The values for this map have arrived (until then the regions are drawn without colour). */
  ready: boolean;
  /** A region to zoom to (a ward is too small to find on its city's map). */
  focus?: string;
  labels: MapLabels;
  archipelagoNames: Record<Archipelago, string>;
  /** The first drawing fades in (default); false: drawn at once (a board's map, issue 19). */
  fadeIn?: boolean;
}) {
  const [ref, chart, fontPx] = useChart();
  const shownKey = useRef<string>('');
  // The box's shape, to a tenth: the inset's frame stays square in it (a new option only when
  // the shape changes, not at every pixel of a resize).
  const [boxAspect, setBoxAspect] = useState(4 / 3);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      const box = entry?.contentRect;
      if (box && box.width >= 1 && box.height >= 1)
        setBoxAspect(Math.round((box.width / box.height) * 10) / 10);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  // Far-off islands go to a framed inset so the main body fills the box (Côn Đảo).
  const parts = useMemo(() => splitFar(geo), [geo]);
  const inset = useMemo(
    () => ({ codes: parts.inset.map((f) => f.properties.code), corner: parts.corner }),
    [parts],
  );
  const archipelagos = useMemo(
    () => [
      ...archipelagoSpots({ features: parts.main }).map((a) => ({
        ...a,
        name: archipelagoNames[a.id],
      })),
      ...archipelagoSpots({ features: parts.inset }).map((a) => ({
        ...a,
        name: archipelagoNames[a.id],
        inInset: true,
      })),
    ],
    [parts, archipelagoNames],
  );
  // A unit in the inset is seen there; the main map zooms only to its own units.
  const view = useMemo(() => focusView({ features: parts.main }, focus), [parts, focus]);
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  });

  useEffect(() => {
    if (!chart) return;
    const handler = (p: { name?: string }) => {
      if (p.name) onSelectRef.current(p.name);
    };
    chart.on('click', handler);
    return () => {
      chart.off('click', handler);
    };
  }, [chart]);

  useEffect(() => {
    if (!chart) return;
    if (!registered.has(mapKey)) {
      const register = (key: string, features: GeoJSON['features']) =>
        echarts.registerMap(key, {
          ...geo,
          features,
        } as unknown as Parameters<typeof echarts.registerMap>[1]);
      register(mapKey, parts.main);
      if (parts.inset.length > 0) register(insetKey(mapKey), parts.inset);
      registered.add(mapKey);
    }
    // A new map or a new focus starts from its own view; a live update keeps the user's zoom.
    const viewKey = `${mapKey}|${focus ?? ''}`;
    const newMap = shownKey.current !== viewKey;
    shownKey.current = viewKey;
    const el = ref.current;
    const total = regions.reduce((s, r) => s + (r.inScope && r.value !== null ? r.value : 0), 0);
    const drawn = regions.filter((r) => r.inScope && r.value !== null).length;
    // Until the values are in, the map is not "drawn" for whoever waits on these attributes.
    if (el && !ready) {
      delete el.dataset.total;
      delete el.dataset.drawn;
    }
    const onFinished = () => {
      chart.off('finished', onFinished);
      if (!el || !ready) return;
      el.dataset.total = String(Math.round(total * 1e6) / 1e6);
      el.dataset.drawn = String(drawn);
      el.dataset.map = mapKey;
    };
    chart.on('finished', onFinished);
    chart.setOption(
      mapOption({
        mapKey,
        regions,
        theme,
        dense,
        view,
        labels,
        fontPx,
        archipelagos,
        fadeIn,
        inset,
        boxAspect,
      }),
      {
        notMerge: newMap,
        lazyUpdate: false,
      },
    );
    return () => {
      chart.off('finished', onFinished);
    };
  }, [
    chart,
    mapKey,
    geo,
    regions,
    theme,
    dense,
    ref,
    ready,
    focus,
    view,
    labels,
    fontPx,
    archipelagos,
    fadeIn,
    parts,
    inset,
    boxAspect,
  ]);

  return (
    <div
      ref={ref}
      className="map-canvas"
      role="img"
      aria-label={label}
      data-testid="map"
      data-regions={regions.length}
      data-archipelagos={archipelagos.map((a) => a.name).join('|')}
      data-inset={inset.codes.join('|')}
    />
  );
}
