/**
 * The overview's charts, drawn by Apache ECharts (imported piece by piece so the chunk holds
 * only the map and line charts, the tooltip and the canvas renderer). This module is loaded
 * lazily: the tiles show before it arrives.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, MapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { GeoJSON } from './data.ts';

echarts.use([MapChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Chart = ReturnType<typeof echarts.init>;

/** One ECharts instance for a div: resized with it, disposed with it. */
function useChart(): [React.RefObject<HTMLDivElement | null>, Chart | undefined] {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<Chart>();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    setChart(c);
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  return [ref, chart];
}

const registered = new Set<string>();

export interface Region {
  code: string;
  name: string;
  value: number | null;
  /** Fill colour; undefined: no value. */
  colour?: string;
  inScope: boolean;
  alert: boolean;
  /** The unit looked at (a commune inside its province's map). */
  current: boolean;
  /** Tooltip lines, plain text (escaped here). */
  tooltip: string[];
}

export interface MapTheme {
  noData: string;
  outOfScope: string;
  border: string;
  hover: string;
  alert: string;
  current: string;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * A choropleth of the units of one boundary map. Regions are keyed by unit code; a click on a
 * unit in scope calls `onSelect`. When the map has drawn, the container carries the sum and the
 * count of the values drawn (`data-total`, `data-drawn`): what a browser test waits for.
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
}) {
  const [ref, chart] = useChart();
  const shownKey = useRef<string>('');
  const view = useMemo(() => focusView(geo, focus), [geo, focus]);
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
      echarts.registerMap(mapKey, geo as unknown as Parameters<typeof echarts.registerMap>[1]);
      registered.add(mapKey);
    }
    const byCode = new Map(regions.map((r) => [r.code, r]));
    const data = regions.map((r) => {
      const border = r.alert ? theme.alert : r.current ? theme.current : theme.border;
      const width = r.alert || r.current ? 2.5 : dense ? 0.2 : 0.8;
      return {
        name: r.code,
        value: r.value ?? Number.NaN,
        itemStyle: {
          areaColor: r.inScope ? (r.colour ?? theme.noData) : theme.outOfScope,
          borderColor: border,
          borderWidth: width,
        },
        emphasis: { disabled: !r.inScope },
        // Regions with a red or dark outline are drawn last so their outline is not covered.
        z: r.alert || r.current ? 3 : 2,
      };
    });
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
      {
        animation: !dense,
        tooltip: {
          trigger: 'item',
          confine: true,
          className: 'map-tooltip',
          formatter: (p: unknown) => {
            const code = (p as { name?: string }).name ?? '';
            const r = byCode.get(code);
            if (!r) return '';
            return r.tooltip
              .map((line, i) =>
                i === 0 ? `<strong>${escapeHtml(line)}</strong>` : escapeHtml(line),
              )
              .join('<br/>');
          },
        },
        series: [
          {
            type: 'map',
            map: mapKey,
            nameProperty: 'code',
            // Equal distances east–west and north–south at Viet Nam's latitude (cos 16° ≈ 0.96).
            aspectScale: 0.96,
            roam: true,
            scaleLimit: { min: 1, max: 40 },
            ...(view ? { center: view.center, zoom: view.zoom } : {}),
            left: 8,
            right: 8,
            top: 8,
            bottom: 8,
            selectedMode: false,
            label: { show: false },
            emphasis: {
              label: { show: false },
              itemStyle: { areaColor: theme.hover },
            },
            itemStyle: { areaColor: theme.noData, borderColor: theme.border, borderWidth: 0.5 },
            data,
          },
        ],
      },
      { notMerge: newMap, lazyUpdate: false },
    );
    return () => {
      chart.off('finished', onFinished);
    };
  }, [chart, mapKey, geo, regions, theme, dense, ref, ready, focus, view]);

  return (
    <div
      ref={ref}
      className="map-canvas"
      role="img"
      aria-label={label}
      data-testid="map"
      data-regions={regions.length}
    />
  );
}

type Box = [number, number, number, number];

function extend(box: Box, c: unknown): Box {
  if (Array.isArray(c) && typeof c[0] === 'number') {
    const [x, y] = c as number[];
    return [Math.min(box[0], x!), Math.min(box[1], y!), Math.max(box[2], x!), Math.max(box[3], y!)];
  }
  if (Array.isArray(c)) for (const k of c) box = extend(box, k);
  return box;
}

const EMPTY: Box = [Infinity, Infinity, -Infinity, -Infinity];

/** Centre and zoom that show one region with its neighbours around it. */
function focusView(geo: GeoJSON, code: string | undefined) {
  if (!code) return undefined;
  const f = geo.features.find((x) => x.properties.code === code);
  if (!f) return undefined;
  const coords = (f.geometry as { coordinates?: unknown }).coordinates;
  const b = extend(EMPTY, coords);
  const all = geo.features.reduce(
    (box, x) => extend(box, (x.geometry as { coordinates?: unknown }).coordinates),
    EMPTY,
  );
  const w = Math.max(b[2] - b[0], 1e-3);
  const h = Math.max(b[3] - b[1], 1e-3);
  const zoom = Math.min((all[2] - all[0]) / w, (all[3] - all[1]) / h) / 8;
  if (zoom <= 1.2) return undefined; // big enough to see as it is
  return { center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], zoom: Math.min(zoom, 12) };
}

export interface TrendPoint {
  label: string;
  /** Full label for the tooltip ("ngày 20/11/2026"). */
  title: string;
  value: number | null;
}

export function TrendChart({
  points,
  format,
  formatAxis,
  colour,
  textColour,
  gridColour,
  label,
  big,
}: {
  points: TrendPoint[];
  format: (v: number) => string;
  formatAxis: (v: number) => string;
  colour: string;
  textColour: string;
  gridColour: string;
  label: string;
  big?: boolean;
}) {
  const [ref, chart] = useChart();
  useEffect(() => {
    if (!chart) return;
    const font = big ? 16 : 12;
    chart.setOption({
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (ps: unknown) => {
          const p = (ps as { dataIndex: number }[])[0];
          if (!p) return '';
          const pt = points[p.dataIndex];
          if (!pt) return '';
          return `${escapeHtml(pt.title)}<br/><strong>${pt.value === null ? '–' : escapeHtml(format(pt.value))}</strong>`;
        },
      },
      xAxis: {
        type: 'category',
        data: points.map((p) => p.label),
        axisLabel: { color: textColour, fontSize: font },
        axisLine: { lineStyle: { color: gridColour } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: textColour, fontSize: font, formatter: (v: number) => formatAxis(v) },
        splitLine: { lineStyle: { color: gridColour } },
      },
      series: [
        {
          type: 'line',
          data: points.map((p) => p.value),
          connectNulls: false,
          showSymbol: points.length <= 14,
          symbolSize: big ? 8 : 6,
          lineStyle: { color: colour, width: big ? 4 : 2.5 },
          itemStyle: { color: colour },
          areaStyle: { color: colour, opacity: big ? 0.08 : 0.12 },
        },
      ],
    });
  }, [chart, points, format, formatAxis, colour, textColour, gridColour, big]);
  return (
    <div ref={ref} className="trend-canvas" role="img" aria-label={label} data-testid="trend" />
  );
}
