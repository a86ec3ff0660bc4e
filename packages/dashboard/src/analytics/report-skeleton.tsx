/**
 * What a report shows while its first answer loads: grey blocks where its
 * figures, chart and table will be, at their size (the page does not jump
 * when they arrive), busy for assistive technology with `label` read out.
 */
export function ReportSkeleton({ label, chartHeight = 320 }: { label: string; chartHeight?: number }) {
  return (
    <div className="stack report-skeleton" aria-busy="true" data-testid="report-skeleton">
      <p className="sr-only" role="status">
        {label}
      </p>
      <div className="skeleton-block skeleton-figures" aria-hidden="true" />
      <div className="skeleton-block analytics-chart" style={{ height: chartHeight }} aria-hidden="true" />
      <div className="skeleton-block skeleton-line" aria-hidden="true" />
    </div>
  );
}
