/**
 * Several lines on one trend (issue 19: "several figures or units on one chart"), with a legend
 * naming each: the room's line chart with ECharts' legend added. Loaded lazily, in the chart
 * chunk the room and the breakdown bars share.
 */
import { useEffect } from 'react';
import { LegendComponent } from 'echarts/components';
import { echarts, escapeHtml, useChart } from '../../room/echarts.ts';

echarts.use([LegendComponent]);

export interface TrendLine {
  name: string;
  values: (number | null)[];
}

/** Distinguishable on white and on the wall's dark blue, and apart for common colour blindness. */
const LIGHT = [
  '#0b57a4',
  '#d9480f',
  '#2b8a3e',
  '#862e9c',
  '#5f3dc4',
  '#c2255c',
  '#0c8599',
  '#5c940d',
];
const DARK = [
  '#f1e85c',
  '#74c0fc',
  '#ff8787',
  '#8ce99a',
  '#e599f7',
  '#ffc078',
  '#66d9e8',
  '#d8f5a2',
];

export default function TrendLines({
  labels,
  titles,
  lines,
  format,
  formatAxis,
  label,
  wall,
}: {
  /** One per period, on the axis; `titles` in the tooltip. */
  labels: string[];
  titles: string[];
  lines: TrendLine[];
  format: (v: number) => string;
  formatAxis: (v: number) => string;
  label: string;
  wall?: boolean;
}) {
  const [ref, chart, fontPx] = useChart();
  useEffect(() => {
    if (!chart) return;
    const font = wall ? Math.round(fontPx * 0.9) : 12;
    const text = wall ? '#d5deea' : '#4a5565';
    const grid = wall ? '#2a3547' : '#e3e8ef';
    const colours = wall ? DARK : LIGHT;
    chart.setOption(
      {
        animationDuration: 300,
        color: colours,
        legend: {
          top: 0,
          type: 'scroll',
          textStyle: { color: text, fontSize: font },
          itemWidth: wall ? Math.round(fontPx * 1.2) : 18,
          itemHeight: wall ? Math.round(fontPx * 0.6) : 10,
          pageTextStyle: { color: text },
        },
        grid: { left: 8, right: 16, top: font * 2.4, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'axis',
          confine: true,
          formatter: (ps: unknown) => {
            const list = ps as { dataIndex: number; seriesIndex: number; marker: string }[];
            const first = list[0];
            if (!first) return '';
            const rows = list.map((p) => {
              const v = lines[p.seriesIndex]?.values[p.dataIndex];
              const name = escapeHtml(lines[p.seriesIndex]?.name ?? '');
              return `${p.marker}${name}: <strong>${v == null ? '–' : escapeHtml(format(v))}</strong>`;
            });
            return `${escapeHtml(titles[first.dataIndex] ?? '')}<br/>${rows.join('<br/>')}`;
          },
        },
        xAxis: {
          type: 'category',
          data: labels,
          axisLabel: { color: text, fontSize: font },
          axisLine: { lineStyle: { color: grid } },
          axisTick: { show: false },
        },
        yAxis: {
          type: 'value',
          axisLabel: { color: text, fontSize: font, formatter: (v: number) => formatAxis(v) },
          splitLine: { lineStyle: { color: grid } },
        },
        series: lines.map((l) => ({
          type: 'line',
          name: l.name,
          data: l.values,
          connectNulls: false,
          showSymbol: labels.length <= 14,
          symbolSize: wall ? Math.round(fontPx * 0.35) : 5,
          lineStyle: { width: wall ? Math.max(3, fontPx / 6) : 2.2 },
        })),
      },
      true,
    );
  }, [chart, labels, titles, lines, format, formatAxis, label, wall, fontPx]);
  return (
    <div ref={ref} className="trend-canvas" role="img" aria-label={label} data-testid="trend" />
  );
}
