import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryState } from '../ui/query-state.js';
import { ReportSkeleton } from './report-skeleton.js';

/**
 * A report's answer, its skeleton while the first answer loads, or its
 * error. While new filters load, the last answer stays (use-report.ts keeps
 * it) and the box is marked busy (and dimmed) until the new one arrives.
 */
export function ReportState<T>({
  query,
  loading = 'Loading the report…',
  chartHeight,
  children,
}: {
  query: UseQueryResult<T>;
  loading?: string;
  chartHeight?: number;
  children: (data: T) => ReactNode;
}) {
  return (
    <div className="report-state" aria-busy={query.isFetching ? 'true' : undefined}>
      {query.isPending ? <ReportSkeleton label={loading} chartHeight={chartHeight} /> : <QueryState query={query}>{children}</QueryState>}
    </div>
  );
}
