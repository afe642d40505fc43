/**
 * A figure's parts as a donut, drawn by Apache ECharts (only the pie chart and the canvas
 * renderer are imported); the list beside it is its legend, with the numbers. Loaded lazily: the
 * numbers show before the chart arrives.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { PieChart } from 'echarts/charts';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([PieChart, CanvasRenderer]);

export interface Slice {
  name: string;
  value: number;
  /** the value as the page writes it (1.061) */
  label: string;
  colour: string;
}

export default function BreakdownChart({ bars, label }: { bars: Slice[]; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | undefined>(undefined);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption(
      {
        animation: !matchMedia('(prefers-reduced-motion: reduce)').matches,
        series: [
          {
            type: 'pie',
            radius: ['52%', '88%'],
            center: ['50%', '50%'],
            startAngle: 90,
            label: { show: false },
            labelLine: { show: false },
            emphasis: { disabled: true },
            itemStyle: { borderColor: '#fff', borderWidth: 2 },
            data: bars.map((b) => ({
              name: b.name,
              value: b.value,
              itemStyle: { color: b.colour },
            })),
          },
        ],
      },
      true,
    );
  }, [bars]);

  return <div ref={ref} className="sector-chart" role="img" aria-label={label} />;
}
