/**
 * The board's stacked bars (Apache ECharts, imported piece by piece: bar chart, grid, tooltip,
 * legend, canvas). Loaded lazily, so the table shows before it arrives.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface StackSeries {
  name: string;
  colour: string;
  values: number[];
}

export function StackedBars({
  labels,
  series,
  format,
  onPick,
}: {
  labels: string[];
  series: StackSeries[];
  format: (n: number) => string;
  onPick?: (index: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | undefined>(undefined);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => pick.current?.(p.dataIndex));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animationDuration: 300,
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          valueFormatter: (v: unknown) => format(Number(v)),
        },
        legend: { top: 0, textStyle: { color: '#18212f' } },
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
        xAxis: {
          type: 'value',
          minInterval: 1,
          axisLabel: { formatter: (v: number) => format(v), color: '#4a5565' },
        },
        yAxis: {
          type: 'category',
          inverse: true,
          data: labels,
          axisLabel: { color: '#18212f', width: 160, overflow: 'truncate' },
        },
        series: series.map((s) => ({
          name: s.name,
          type: 'bar',
          stack: 'all',
          barMaxWidth: 22,
          itemStyle: { color: s.colour },
          emphasis: { focus: 'series' },
          data: s.values,
        })),
      },
      { notMerge: true },
    );
  }, [labels, series, format]);

  return (
    <div
      ref={ref}
      className="dir-chart"
      style={{ height: Math.max(160, 60 + labels.length * 28) }}
      aria-hidden="true"
    />
  );
}
