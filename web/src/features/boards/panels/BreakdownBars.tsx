/**
 * A breakdown's bars (Apache ECharts: the bar chart added to the room's pieces, whose chunk this
 * module shares). Loaded lazily: the panel's frame shows before it arrives.
 */
import { useEffect } from 'react';
import { BarChart } from 'echarts/charts';
import { echarts, escapeHtml, useChart } from '../../room/echarts.ts';

echarts.use([BarChart]);

export interface Bar {
  name: string;
  value: number | null;
  /** The value as the panel writes it. */
  label: string;
}

export default function BreakdownBars({
  bars,
  label,
  colour,
  textColour,
  gridColour,
  formatAxis,
  big,
}: {
  bars: Bar[];
  label: string;
  colour: string;
  textColour: string;
  gridColour: string;
  formatAxis: (v: number) => string;
  big?: boolean;
}) {
  const [ref, chart, fontPx] = useChart();
  useEffect(() => {
    if (!chart) return;
    const font = big ? Math.round(fontPx * 0.9) : 12;
    // Longest bar on top, names read across: horizontal bars fit long names in a narrow panel.
    const shown = [...bars].reverse();
    chart.setOption(
      {
        animationDuration: 300,
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'item',
          confine: true,
          formatter: (p: unknown) => {
            const b = shown[(p as { dataIndex: number }).dataIndex];
            return b ? `${escapeHtml(b.name)}<br/><strong>${escapeHtml(b.label)}</strong>` : '';
          },
        },
        xAxis: {
          type: 'value',
          axisLabel: { color: textColour, fontSize: font, formatter: (v: number) => formatAxis(v) },
          splitLine: { lineStyle: { color: gridColour } },
        },
        yAxis: {
          type: 'category',
          data: shown.map((b) => b.name),
          axisLabel: { color: textColour, fontSize: font, width: 160, overflow: 'truncate' },
          axisLine: { lineStyle: { color: gridColour } },
          axisTick: { show: false },
        },
        series: [
          {
            type: 'bar',
            data: shown.map((b) => b.value),
            itemStyle: { color: colour, borderRadius: [0, 3, 3, 0] },
            barMaxWidth: big ? Math.round(fontPx * 1.6) : 28,
            label: {
              show: true,
              position: 'right',
              color: textColour,
              fontSize: font,
              formatter: (p: { dataIndex: number }) => shown[p.dataIndex]?.label ?? '',
            },
          },
        ],
      },
      true,
    );
  }, [chart, bars, colour, textColour, gridColour, formatAxis, big, fontPx]);
  return <div ref={ref} className="bp-bars" role="img" aria-label={label} data-testid="bars" />;
}
