import type { IdentityHealthReport } from '@lumio/protocol';
import { IDENTITY_OUTCOME_COLORS as COLORS } from '../ui/palette.js';

// The verified rate's line means no outcome: the accent, not green, amber or red.
const RATE_COLOR = '#3b4fd8';

/** The identity health chart: outcomes as stacked bars in their meaning's colours (verified green, unsigned amber, failed red), the verified rate as a line. */
export function identityChartOption(report: IdentityHealthReport, labels: string[]) {
  const bar = (name: string, color: string, data: number[]) => ({ name, type: 'bar', stack: 'calls', itemStyle: { color }, data });
  return {
    // Patterns as well as colours tell the bars apart.
    aria: { enabled: true, decal: { show: true } },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: labels },
    yAxis: [
      { type: 'value', name: 'Calls', minInterval: 1 },
      { type: 'value', name: 'Verified', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      bar('Verified', COLORS.verified, report.verified),
      bar('Identified (unsigned)', COLORS.unsigned, report.identified),
      bar('Failed', COLORS.failed, report.failed),
      {
        name: 'Verified rate',
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        symbol: 'circle',
        itemStyle: { color: RATE_COLOR },
        lineStyle: { color: RATE_COLOR, type: 'dashed', width: 2 },
        data: report.verifiedRate.map((r) => (r === null ? null : Math.round(r * 1000) / 10)),
      },
    ],
  };
}
