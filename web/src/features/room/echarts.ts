/**
 * Apache ECharts for the overview's charts, imported piece by piece so the chunk holds only the
 * map and line charts, the tooltip and the canvas renderer. Imported only by the lazily loaded
 * charts (Charts.tsx).
 */
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, MapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { echarts };

export type Chart = ReturnType<typeof echarts.init>;

/** One ECharts instance for a div: resized with it, disposed with it. */
export function useChart(): [React.RefObject<HTMLDivElement | null>, Chart | undefined] {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<Chart>();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    setChart(c);
    // The observer also reports the size the chart was made with; redrawing thousands of
    // communes for it cost a second long task (300 ms) on the all-commune map.
    const ro = new ResizeObserver(([entry]) => {
      const box = entry?.contentRect;
      if (box && Math.abs(box.width - c.getWidth()) < 1 && Math.abs(box.height - c.getHeight()) < 1)
        return;
      c.resize();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  return [ref, chart];
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
