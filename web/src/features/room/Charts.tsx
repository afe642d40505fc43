/**
 * The overview's charts, drawn by Apache ECharts (echarts.ts: imported piece by piece so the
 * chunk holds only the map and line charts, the tooltip and the canvas renderer). This module is
 * loaded lazily: the tiles show before it arrives.
 */
export { ChoroplethMap, type MapTheme, type Region } from './ChoroplethMap.tsx';
export { TrendChart, type TrendPoint } from './TrendChart.tsx';
export { chartImage } from './chartImage.ts';
