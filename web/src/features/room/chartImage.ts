import { echarts } from './echarts.ts';

/**
 * The chart drawn in `el` (an ECharts container) as a PNG data URL, twice its screen size so it
 * stays sharp in a document, on `background` (a canvas is transparent where nothing is drawn,
 * which turns black in some viewers). None when no chart is there.
 */
export function chartImage(el: HTMLElement, background: string): string | undefined {
  const chart = echarts.getInstanceByDom(el);
  return chart?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background });
}
