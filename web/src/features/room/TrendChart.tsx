import { useEffect } from 'react';
import { escapeHtml, useChart } from './echarts.ts';

export interface TrendPoint {
  label: string;
  /** Full label for the tooltip ("ngày 20/11/2026"). */
  title: string;
  value: number | null;
  /** A line under the value, e.g. that it was carried from another tree. */
  note?: string;
}

export function TrendChart({
  points,
  format,
  formatAxis,
  colour,
  textColour,
  gridColour,
  label,
  big,
}: {
  points: TrendPoint[];
  format: (v: number) => string;
  formatAxis: (v: number) => string;
  colour: string;
  textColour: string;
  gridColour: string;
  label: string;
  big?: boolean;
}) {
  const [ref, chart, fontPx] = useChart();
  useEffect(() => {
    if (!chart) return;
    // A wall's axis labels follow its text (0.9 em: 18 px at 1920×1080, 36 px at 3840×2160).
    const font = big ? Math.round(fontPx * 0.9) : 12;
    chart.setOption({
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (ps: unknown) => {
          const p = (ps as { dataIndex: number }[])[0];
          if (!p) return '';
          const pt = points[p.dataIndex];
          if (!pt) return '';
          const note = pt.note ? `<br/>${escapeHtml(pt.note)}` : '';
          return `${escapeHtml(pt.title)}<br/><strong>${pt.value === null ? '–' : escapeHtml(format(pt.value))}</strong>${note}`;
        },
      },
      xAxis: {
        type: 'category',
        data: points.map((p) => p.label),
        axisLabel: { color: textColour, fontSize: font },
        axisLine: { lineStyle: { color: gridColour } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: textColour, fontSize: font, formatter: (v: number) => formatAxis(v) },
        splitLine: { lineStyle: { color: gridColour } },
      },
      series: [
        {
          type: 'line',
          data: points.map((p) => p.value),
          connectNulls: false,
          showSymbol: points.length <= 14,
          symbolSize: big ? Math.round(fontPx * 0.4) : 6,
          lineStyle: { color: colour, width: big ? Math.max(3, fontPx / 5) : 2.5 },
          itemStyle: { color: colour },
          areaStyle: { color: colour, opacity: big ? 0.08 : 0.12 },
        },
      ],
    });
  }, [chart, points, format, formatAxis, colour, textColour, gridColour, big, fontPx]);
  return (
    <div ref={ref} className="trend-canvas" role="img" aria-label={label} data-testid="trend" />
  );
}
