/**
 * The choropleth's ECharts option, pure: the room's and the boards' maps on screen
 * (web/src/features/room/mapOption.ts re-exports this) and the board's PDF (drawn by ECharts at
 * the server) build the same map.
 */
import type { Archipelago, InsetCorner, focusView } from './map-geometry.ts';
import type { MapTheme, Region } from './map-scale.ts';

export type { MapTheme, Region };

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The name under which a map's far-off islands are registered with ECharts (`splitFar`). */
export const insetKey = (mapKey: string) => `${mapKey}|inset`;

/** The inset's frame: this share of the box's width and height, in its corner. */
const INSET_SHARE = 0.3;
/** The gap between the box's edge and the map, as a share of the box (ECharts' own 2 %). */
const EDGE = 0.02;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

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
  inset,
  boxAspect = 4 / 3,
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
  archipelagos: { id: Archipelago; coord: [number, number]; name: string; inInset?: boolean }[];
  /** The first drawing fades in (ECharts' second-long entry); a change still moves. */
  fadeIn?: boolean;
  /**
   * Far-off islands (`splitFar`): their codes, registered as `insetKey(mapKey)` while `mapKey`
   * holds the rest, and the corner their framed inset goes to.
   */
  inset?: { codes: readonly string[]; corner: InsetCorner };
  /** The box's width over its height: the inset's frame is square in it (default 4:3). */
  boxAspect?: number;
}) {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const far = new Set(inset?.codes ?? []);
  const hasInset = far.size > 0;
  const data = seriesData(regions, theme, dense);
  const text = { color: theme.text, textBorderColor: theme.halo, textBorderWidth: 3 };
  const label = (forced: boolean) => ({
    show: forced || labels !== 'none',
    ...text,
    fontSize: Math.round(fontPx * 0.8),
    lineHeight: Math.round(fontPx * 0.95),
    formatter: (p: { data?: { regionName?: string; short?: string } }) => {
      const d = p.data;
      if (!d?.regionName) return '';
      return (forced || labels === 'values') && d.short
        ? `${d.regionName}\n{v|${d.short}}`
        : d.regionName;
    },
    rich: { v: { ...text, fontWeight: 'bold', fontSize: Math.round(fontPx * 0.9) } },
  });
  const markPoint = (spots: typeof archipelagos) => ({
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
    data: spots.map((a) => ({
      name: a.name,
      coord: a.coord,
      label: { position: a.id === 'hoang_sa' ? 'right' : 'bottom' },
    })),
  });
  const common = {
    type: 'map',
    nameProperty: 'code',
    // Equal distances east–west and north–south at Viet Nam's latitude (cos 16° ≈ 0.96).
    aspectScale: 0.96,
    // The map as large as its box allows without stretching it: ECharts fits the map's
    // bounding box into the layout box and keeps its aspect ('contain').
    preserveAspect: 'contain',
    selectedMode: false,
    labelLayout: { hideOverlap: true },
    itemStyle: { areaColor: theme.noData, borderColor: theme.border, borderWidth: 0.5 },
  };
  const [vertical, horizontal] = (inset?.corner ?? 'bottom-right').split('-') as [
    'top' | 'bottom',
    'left' | 'right',
  ];
  // The inset's frame in its corner; the main map leans to the other side of the box.
  // Square: its side a share of the box's shorter side.
  const fw = boxAspect > 1 ? INSET_SHARE / boxAspect : INSET_SHARE;
  const fh = boxAspect > 1 ? INSET_SHARE : INSET_SHARE * boxAspect;
  const frame = {
    [vertical]: pct(EDGE),
    [horizontal]: pct(EDGE),
    width: pct(fw),
    height: pct(fh),
  };
  const inFrame = {
    [vertical]: pct(EDGE + fh * 0.06),
    [horizontal]: pct(EDGE + fw * 0.06),
    width: pct(fw * 0.88),
    height: pct(fh * 0.88),
  };
  const onMain = archipelagos.filter((a) => !hasInset || !a.inInset);
  const onInset = archipelagos.filter((a) => hasInset && a.inInset);
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
    ...(hasInset
      ? {
          // A grid without axes: only its frame, drawn under the inset's map.
          grid: {
            show: true,
            ...frame,
            backgroundColor: theme.halo,
            // The regions' white borders would not show: the frame is drawn in the text's colour.
            borderColor: theme.text,
            borderWidth: 1,
            z: 0,
          },
        }
      : {}),
    series: [
      {
        ...common,
        map: mapKey,
        roam: true,
        scaleLimit: { min: 1, max: 40 },
        ...(view ? { center: view.center, zoom: view.zoom } : {}),
        left: pct(EDGE),
        right: pct(EDGE),
        top: pct(EDGE),
        bottom: pct(EDGE),
        ...(hasInset
          ? {
              preserveAspectAlign: horizontal === 'left' ? 'right' : 'left',
              preserveAspectVerticalAlign: vertical === 'top' ? 'bottom' : 'top',
            }
          : {}),
        // Names (and on a wall, values) where they fit: a label that would overlap another is
        // left out, the tooltip still has it.
        label: label(false),
        emphasis: {
          label: { show: labels !== 'none' },
          itemStyle: { areaColor: theme.hover },
        },
        data: hasInset ? data.filter((d) => !far.has(d.name)) : data,
        // The archipelagos draw as specks: each is named where its islands are, on every map
        // that holds them, whatever the labels of the regions.
        markPoint: markPoint(onMain),
      },
      ...(hasInset
        ? [
            {
              ...common,
              map: insetKey(mapKey),
              roam: false,
              ...inFrame,
              // The few islands of the inset are named with their values whatever the labels.
              label: label(true),
              emphasis: { label: { show: true }, itemStyle: { areaColor: theme.hover } },
              data: data.filter((d) => far.has(d.name)),
              markPoint: markPoint(onInset),
              z: 3,
            },
          ]
        : []),
    ],
  };
}
