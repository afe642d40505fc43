import { escapeHtml } from './echarts.ts';
import type { focusView } from './mapView.ts';

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

/** The regions as the map series' data: fill, outline, drawing order. */
function seriesData(regions: Region[], theme: MapTheme, dense: boolean | undefined) {
  return regions.map((r) => {
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
}

/** The choropleth's ECharts option: the map series of one boundary map and its tooltip. */
export function mapOption({
  mapKey,
  regions,
  theme,
  dense,
  view,
}: {
  mapKey: string;
  regions: Region[];
  theme: MapTheme;
  dense: boolean | undefined;
  view: ReturnType<typeof focusView>;
}) {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const data = seriesData(regions, theme, dense);
  return {
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
          .map((line, i) => (i === 0 ? `<strong>${escapeHtml(line)}</strong>` : escapeHtml(line)))
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
  };
}
