import { formatCount, formatPercent } from '../ui/format.js';
import { IDENTITY_OUTCOME_COLORS as COLORS } from '../ui/palette.js';
import type { IdentityBucket } from './identity-buckets.js';

const HEIGHT = 120;
const BAR = 12;
const GAP = 3;
// The failed share is hatched in the chart: its swatch too.
const FAILED_SWATCH = `repeating-linear-gradient(45deg, ${COLORS.failed} 0 3px, #ffffff 3px 5px)`;

/**
 * The verified rate over time as small stacked bars (verified, unsigned,
 * failed shares of each bucket's identifies). The failed share is hatched so it
 * is not told by colour alone; the table beside it carries the same numbers.
 */
export function IdentityRateChart({
  buckets,
  label,
  formatStart,
}: {
  buckets: IdentityBucket[];
  label: string;
  formatStart: (at: number) => string;
}) {
  const width = buckets.length * (BAR + GAP);
  return (
    <figure className="identity-chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label} className="identity-chart-svg">
        <defs>
          <pattern id="identity-failed-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" fill={COLORS.failed} />
            <line x1="0" y1="0" x2="0" y2="4" className="identity-hatch-line" />
          </pattern>
        </defs>
        <line x1="0" x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="identity-axis" />
        {buckets.map((b, i) => {
          const total = b.verified + b.identified + b.failed;
          if (total === 0) return null;
          const x = i * (BAR + GAP);
          const hv = (b.verified / total) * HEIGHT;
          const hi = (b.identified / total) * HEIGHT;
          const hf = HEIGHT - hv - hi;
          return (
            <g key={b.start}>
              <title>
                {`${formatStart(b.start)}: ${formatPercent(b.verified, total)} verified (${formatCount(b.verified)} verified, ${formatCount(b.identified)} unsigned, ${formatCount(b.failed)} failed)`}
              </title>
              {hf > 0 && <rect x={x} y={0} width={BAR} height={hf} fill="url(#identity-failed-hatch)" data-outcome="failed" />}
              {hi > 0 && <rect x={x} y={hf} width={BAR} height={hi} fill={COLORS.unsigned} data-outcome="unsigned" />}
              {hv > 0 && <rect x={x} y={HEIGHT - hv} width={BAR} height={hv} fill={COLORS.verified} data-outcome="verified" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="row small">
        <span className="muted">{buckets.length > 0 && formatStart(buckets[0]!.start)}</span>
        <span className="identity-legend">
          <span className="identity-swatch" style={{ background: COLORS.verified }} aria-hidden="true" /> Verified
        </span>
        <span className="identity-legend">
          <span className="identity-swatch" style={{ background: COLORS.unsigned }} aria-hidden="true" /> Unsigned (identified)
        </span>
        <span className="identity-legend">
          <span className="identity-swatch" style={{ background: FAILED_SWATCH }} aria-hidden="true" /> Failed (hatched)
        </span>
        <span className="muted identity-chart-end">{buckets.length > 0 && formatStart(buckets[buckets.length - 1]!.start)}</span>
      </figcaption>
    </figure>
  );
}
