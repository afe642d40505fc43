import { escapeHtml } from './echarts.ts';
import type { Archipelago, focusView } from './mapView.ts';
import type { MapTheme, Region } from '../../../../src/domain/map-scale.ts';

// A region as drawn and the map's colours live in src/domain: the board's PDF draws them too.
export type { MapTheme, Region };

/** What the regions say on the map itself: nothing, their names, or names and values. */
export type MapLabels = 'none' | 'names' | 'values';

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
      regionName: r.name,
      short: r.inScope ? r.short : undefined,
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
  labels,
  fontPx,
  archipelagos,
  fadeIn = true,
}: {
  mapKey: string;
  regions: Region[];
  theme: MapTheme;
  dense: boolean | undefined;
  view: ReturnType<typeof focusView>;
  labels: MapLabels;
  /** The page's text size where the map is (larger on a wall): labels follow it. */
  fontPx: number;
  /** Hoàng Sa and Trường Sa where the map holds them, with their names. */
  archipelagos: { id: Archipelago; coord: [number, number]; name: string }[];
  /** The first drawing fades in (ECharts' second-long entry); a change still moves. */
  fadeIn?: boolean;
}) {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const data = seriesData(regions, theme, dense);
  const text = { color: theme.text, textBorderColor: theme.halo, textBorderWidth: 3 };
  return {
    animation: !dense,
    ...(fadeIn ? {} : { animationDuration: 0 }),
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
        // Centre and size, not four margins: with all four set ECharts stretches the map to the
        // box (1.9× sideways on a wide panel); the map's longer side is 96 % of the box's shorter.
        layoutCenter: ['50%', '50%'],
        layoutSize: '96%',
        selectedMode: false,
        // Names (and on a wall, values) where they fit: a label that would overlap another is
        // left out, the tooltip still has it.
        label: {
          show: labels !== 'none',
          ...text,
          fontSize: Math.round(fontPx * 0.8),
          lineHeight: Math.round(fontPx * 0.95),
          formatter: (p: { data?: { regionName?: string; short?: string } }) => {
            const d = p.data;
            if (!d?.regionName) return '';
            return labels === 'values' && d.short
              ? `${d.regionName}\n{v|${d.short}}`
              : d.regionName;
          },
          rich: { v: { ...text, fontWeight: 'bold', fontSize: Math.round(fontPx * 0.9) } },
        },
        labelLayout: { hideOverlap: true },
        emphasis: {
          label: { show: labels !== 'none' },
          itemStyle: { areaColor: theme.hover },
        },
        itemStyle: { areaColor: theme.noData, borderColor: theme.border, borderWidth: 0.5 },
        data,
        // The archipelagos draw as specks: each is named where its islands are, on every map
        // that holds them, whatever the labels of the regions.
        markPoint: {
          silent: true,
          symbol: 'circle',
          symbolSize: Math.max(4, Math.round(fontPx * 0.3)),
          itemStyle: { color: theme.text },
          label: {
            show: true,
            ...text,
            fontSize: Math.round(fontPx * 0.8),
            fontStyle: 'italic',
            formatter: (p: { name?: string }) => (p.name ?? '').replace(' (', '\n('),
          },
          // Hoàng Sa's name to the east of it, away from the coast's labels (Đà Nẵng).
          data: archipelagos.map((a) => ({
            name: a.name,
            coord: a.coord,
            label: { position: a.id === 'hoang_sa' ? 'right' : 'bottom' },
          })),
        },
      },
    ],
  };
}
