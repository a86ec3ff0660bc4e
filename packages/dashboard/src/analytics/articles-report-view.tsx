import type { ArticlesReport } from '@lumio/protocol';
import { useMemo } from 'react';
import { DataTable, type DataColumn } from '../ui/data-table.js';
import { formatCount, formatTime } from '../ui/format.js';
import { EChart } from './echart.js';
import { ReportState } from './report-state.js';
import type { useReport } from './use-report.js';

/** The help center report: top articles (chart and table), top searches and searches that found nothing. */
export function ArticlesReportView({ query }: { query: ReturnType<typeof useReport<ArticlesReport>> }) {
  return <ReportState query={query}>{(report) => <Articles report={report} />}</ReportState>;
}

function Articles({ report }: { report: ArticlesReport }) {
  const top = report.topArticles.slice(0, 10);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 16, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: top.map((a) => shorten(a.title ?? a.articleId)) },
      series: [{ name: 'Views', type: 'bar', data: top.map((a) => a.views) }],
    }),
    [top],
  );
  return (
    <div className="stack">
      <section aria-labelledby="top-articles">
        <h2 id="top-articles">Top articles</h2>
        {report.topArticles.length === 0 ? (
          <p className="muted">No article was viewed by users matching these filters in this range.</p>
        ) : (
          <>
            <EChart
              option={option}
              label="Views of the most viewed articles; the table below lists them."
              height={Math.max(160, 36 * top.length + 40)}
            />
            <DataTable
              rows={report.topArticles}
              rowKey={(a) => a.articleId}
              columns={[
                {
                  header: 'Article',
                  rowHeader: true,
                  cell: (a) => a.title ?? <span className="muted">Deleted article ({a.articleId})</span>,
                },
                { header: 'Views', cell: (a) => formatCount(a.views) },
                { header: 'People', cell: (a) => formatCount(a.uniques) },
                { header: 'Rated helpful', cell: (a) => formatCount(a.helpful) },
                { header: 'Rated not helpful', cell: (a) => formatCount(a.unhelpful) },
              ]}
            />
          </>
        )}
      </section>
      <div className="analytics-columns">
        <section aria-labelledby="top-searches">
          <h2 id="top-searches">Top searches</h2>
          <DataTable
            rows={report.topSearches}
            rowKey={(s) => s.query}
            empty="No searches in this range."
            columns={[
              ...SEARCH_COLUMNS,
              { header: 'Found', cell: (s) => (s.noResults ? <span className="badge badge-warn">No results</span> : 'Results') },
            ]}
          />
        </section>
        <section aria-labelledby="no-result-searches">
          <h2 id="no-result-searches">Searches with no results</h2>
          <p className="muted small">What people looked for and did not find: candidates for new articles.</p>
          <DataTable
            rows={report.noResultSearches}
            rowKey={(s) => s.query}
            empty="Every search found something."
            columns={[...SEARCH_COLUMNS, { header: 'Last searched', cell: (s) => formatTime(s.lastAt) }]}
          />
        </section>
      </div>
    </div>
  );
}

// The columns both search tables open with.
const SEARCH_COLUMNS: ReadonlyArray<DataColumn<{ query: string; count: number; uniques: number }>> = [
  { header: 'Search', rowHeader: true, cell: (s) => s.query },
  { header: 'Times', cell: (s) => formatCount(s.count) },
  { header: 'People', cell: (s) => formatCount(s.uniques) },
];

function shorten(text: string): string {
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}
