import { lazy, Suspense } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

// ECharts is most of the analytics page's weight: the page shows its figures
// (and the table beside each chart) first, and the chart when its chunk arrives.
const EChartCanvas = lazy(async () => ({ default: (await import('./echart-canvas.js')).EChartCanvas }));

/** A chart of a report, loaded on demand; `label` summarises it for screen readers (a table shows the same figures). */
export function EChart({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  return (
    <Suspense fallback={<div className="analytics-chart" role="img" aria-label={label} aria-busy="true" style={{ height }} />}>
      <EChartCanvas option={option} label={label} height={height} />
    </Suspense>
  );
}
