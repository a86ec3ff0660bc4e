import type { DemographicInterests, DemographicsReport, DemographicValue } from '@lumio/protocol';
import { useMemo } from 'react';
import { DataTable } from '../ui/data-table.js';
import { formatCount, formatNumber, formatPercent, plural } from '../ui/format.js';
import { SERIES_COLORS, TRUST_COLORS } from '../ui/palette.js';
import { valueLabel } from './bucket-label.js';
import { PEOPLE } from './count-words.js';
import { EChart } from './echart.js';
import { ReportState } from './report-state.js';
import type { useReport } from './use-report.js';

/** Who was active: verified share, gender, age bands and the chosen attributes, each as bars and a table. */
export function DemographicsReportView({ query }: { query: ReturnType<typeof useReport<DemographicsReport>> }) {
  return (
    <ReportState query={query} loading="Counting active people…">
      {(report) => <Demographics report={report} />}
    </ReportState>
  );
}

function Demographics({ report }: { report: DemographicsReport }) {
  const { activePersons, trust } = report;
  return (
    <div className="stack">
      <p className="analytics-totals">
        <strong>{formatCount(activePersons)}</strong> active {plural(activePersons, PEOPLE)}.{' '}
        {activePersons > 0 && (
          <>
            Verified: <strong>{formatPercent(trust.verified, activePersons)}</strong> ({formatCount(trust.verified)}), identified but not
            verified: {formatPercent(trust.identified, activePersons)} ({formatCount(trust.identified)}), anonymous:{' '}
            {formatPercent(trust.anonymous, activePersons)} ({formatCount(trust.anonymous)}).
          </>
        )}
      </p>
      <p className="muted small">
        Someone active with more than one trust level or value in the range counts under each, so shares may add up to more than 100%.
      </p>
      {activePersons > 0 && (
        <div className="analytics-columns">
          <Breakdown
            title="Trust level"
            colorOf={trustColorOf}
            total={activePersons}
            values={[
              { value: 'Verified', persons: trust.verified },
              { value: 'Identified', persons: trust.identified },
              { value: 'Anonymous', persons: trust.anonymous },
            ]}
          />
          <Breakdown title="Gender" total={activePersons} values={report.gender} />
          <Breakdown title="Age" total={activePersons} values={report.ageBands.map((b) => ({ value: b.band, persons: b.persons }))} />
          {Object.entries(report.attributes).map(([attribute, values]) => (
            <Breakdown key={attribute} title={attribute} total={activePersons} values={values} />
          ))}
        </div>
      )}
      {activePersons > 0 && <TopInterests interests={report.interests} />}
    </div>
  );
}

/** The topics the active known users are most interested in, from their verified interest profiles as they are now. */
function TopInterests({ interests }: { interests: DemographicInterests }) {
  const { knownPersons, threshold, topics } = interests;
  return (
    <section className="card analytics-breakdown" aria-labelledby="top-interests">
      <h2 id="top-interests">Top interests</h2>
      <p className="muted small">
        Among the {formatCount(knownPersons)} active people with a user id: each topic with how many have an interest level of at least{' '}
        {formatNumber(threshold, 2, undefined, false)} (verified activity, as of now), and the mean level over all of them.
      </p>
      {topics.length === 0 ? (
        <p className="muted">Nobody here is interested in a topic yet.</p>
      ) : (
        <DataTable
          frame={false}
          rows={topics}
          rowKey={(t) => t.topic}
          columns={[
            { header: 'Topic', rowHeader: true, cell: (t) => t.topic },
            { header: 'Interested people', cell: (t) => formatCount(t.persons) },
            { header: 'Share', cell: (t) => formatPercent(t.persons, knownPersons) },
            { header: 'Mean level', cell: (t) => formatNumber(t.meanLevel, 2) },
          ]}
        />
      )}
    </section>
  );
}

// A module function, so the chart's option is not rebuilt on every render.
const trustColorOf = (value: string) => TRUST_COLORS[value.toLowerCase()];

function Breakdown({
  title,
  total,
  values,
  colorOf,
}: {
  title: string;
  total: number;
  values: DemographicValue[];
  /** The colour of a value that means something (a trust level); the series colour otherwise. */
  colorOf?: (value: string) => string | undefined;
}) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: values.map((v) => valueLabel(v.value)) },
      series: [
        {
          name: 'People',
          type: 'bar',
          data: values.map((v) => ({ value: v.persons, itemStyle: { color: colorOf?.(v.value) ?? SERIES_COLORS[0] } })),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [values, colorOf],
  );
  return (
    <section className="card analytics-breakdown">
      <h2>{title}</h2>
      {values.length === 0 ? (
        <p className="muted">No values.</p>
      ) : (
        <>
          <EChart
            option={option}
            label={`Active people by ${title}; the table below lists the figures.`}
            height={Math.max(120, 28 * values.length + 30)}
          />
          <DataTable
            frame={false}
            rows={values}
            rowKey={(v) => v.value}
            columns={[
              { header: title, rowHeader: true, cell: (v) => valueLabel(v.value) },
              { header: 'People', cell: (v) => formatCount(v.persons) },
              { header: 'Share', cell: (v) => formatPercent(v.persons, total) },
            ]}
          />
        </>
      )}
    </section>
  );
}
