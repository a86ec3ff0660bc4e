import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { SERIES_COLORS } from '../ui/palette.js';

// Only what the reports draw, so the analytics chunk carries no unused chart types.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

/**
 * An ECharts chart sized to its box (load it through {@link EChart}, which
 * keeps ECharts out of the page's first JavaScript). The canvas is summarised for screen
 * readers by `label` (and ECharts' aria description); each report shows the
 * same figures as a table too.
 */
export function EChartCanvas({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = box.current!;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a new breakdown must drop the old lines, not keep them beside the new ones.
    chart.current?.setOption({ color: [...SERIES_COLORS], aria: { enabled: true }, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={box} className="analytics-chart" role="img" aria-label={label} style={{ height }} />;
}
