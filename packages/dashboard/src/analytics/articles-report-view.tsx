import { useMemo } from 'react';
import { formatCount, formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import type { ArticlesReport } from './analytics-types.js';
import { EChart } from './echart.js';
import type { useReport } from './use-report.js';

/** The help center report: top articles (chart and table), top searches and searches that found nothing. */
export function ArticlesReportView({ query }: { query: ReturnType<typeof useReport<ArticlesReport>> }) {
  return <QueryState query={query}>{(report) => <Articles report={report} />}</QueryState>;
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
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Article</th>
                    <th scope="col">Views</th>
                    <th scope="col">People</th>
                    <th scope="col">Rated helpful</th>
                    <th scope="col">Rated not helpful</th>
                  </tr>
                </thead>
                <tbody>
                  {report.topArticles.map((a) => (
                    <tr key={a.articleId}>
                      <th scope="row">{a.title ?? <span className="muted">Deleted article ({a.articleId})</span>}</th>
                      <td>{formatCount(a.views)}</td>
                      <td>{formatCount(a.uniques)}</td>
                      <td>{formatCount(a.helpful)}</td>
                      <td>{formatCount(a.unhelpful)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <div className="analytics-columns">
        <section aria-labelledby="top-searches">
          <h2 id="top-searches">Top searches</h2>
          {report.topSearches.length === 0 ? (
            <p className="muted">No searches in this range.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Search</th>
                    <th scope="col">Times</th>
                    <th scope="col">People</th>
                    <th scope="col">Found</th>
                  </tr>
                </thead>
                <tbody>
                  {report.topSearches.map((s) => (
                    <tr key={s.query}>
                      <th scope="row">{s.query}</th>
                      <td>{formatCount(s.count)}</td>
                      <td>{formatCount(s.uniques)}</td>
                      <td>{s.noResults ? <span className="badge badge-warn">No results</span> : 'Results'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="no-result-searches">
          <h2 id="no-result-searches">Searches with no results</h2>
          <p className="muted small">What people looked for and did not find: candidates for new articles.</p>
          {report.noResultSearches.length === 0 ? (
            <p className="muted">Every search found something.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Search</th>
                    <th scope="col">Times</th>
                    <th scope="col">People</th>
                    <th scope="col">Last searched</th>
                  </tr>
                </thead>
                <tbody>
                  {report.noResultSearches.map((s) => (
                    <tr key={s.query}>
                      <th scope="row">{s.query}</th>
                      <td>{formatCount(s.count)}</td>
                      <td>{formatCount(s.uniques)}</td>
                      <td>{formatTime(s.lastAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function shorten(text: string): string {
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}
