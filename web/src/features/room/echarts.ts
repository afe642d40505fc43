/**
 * Apache ECharts for the overview's charts, imported piece by piece so the chunk holds only the
 * map and line charts, the tooltip, map markers, label layout and the canvas renderer. Imported only by the lazily loaded
 * charts (Charts.tsx).
 */
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, MapChart } from 'echarts/charts';
import { GridComponent, MarkPointComponent, TooltipComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  MapChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  MarkPointComponent,
  LabelLayout,
  CanvasRenderer,
]);

export { echarts };

export type Chart = ReturnType<typeof echarts.init>;

const fontOf = (el: HTMLElement) => parseFloat(getComputedStyle(el).fontSize) || 16;

const hasArea = (w: number, h: number) => w >= 1 && h >= 1;

/**
 * One ECharts instance for a div: resized with it, disposed with it; with the text size of the
 * page where it is (a wall's text grows with the screen, and the chart's text with it). The
 * chart is handed out only while its box has an area: a map laid out in a box of zero height
 * has no inverse transform, and ECharts throws (a panel squeezed for a moment as a layout
 * settles); it comes back once the box has a size again.
 */
export function useChart(): [React.RefObject<HTMLDivElement | null>, Chart | undefined, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<Chart>();
  const [sized, setSized] = useState(false);
  const [fontPx, setFontPx] = useState(16);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    setChart(c);
    setSized(hasArea(el.clientWidth, el.clientHeight));
    setFontPx(fontOf(el));
    // The observer also reports the size the chart was made with; redrawing thousands of
    // communes for it cost a second long task (300 ms) on the all-commune map.
    const ro = new ResizeObserver(([entry]) => {
      // Laid out for paper, the chart keeps its drawing and the print style scales it: a
      // redraw there is not finished by the time the page is printed (a blank or cut chart).
      if (window.matchMedia('print').matches) return;
      setFontPx(fontOf(el));
      const box = entry?.contentRect;
      const area = !!box && hasArea(box.width, box.height);
      setSized(area);
      if (!box || !area) return;
      if (Math.abs(box.width - c.getWidth()) < 1 && Math.abs(box.height - c.getHeight()) < 1)
        return;
      c.resize();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  return [ref, sized ? chart : undefined, fontPx];
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
