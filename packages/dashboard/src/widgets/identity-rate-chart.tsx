import { formatPercent } from '../ui/format.js';
import type { IdentityBucket } from './identity-buckets.js';

const HEIGHT = 120;
const BAR = 12;
const GAP = 3;

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
            <rect width="4" height="4" className="identity-failed" />
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
                {`${formatStart(b.start)}: ${formatPercent(b.verified, total)} verified (${b.verified} verified, ${b.identified} unsigned, ${b.failed} failed)`}
              </title>
              {hf > 0 && <rect x={x} y={0} width={BAR} height={hf} fill="url(#identity-failed-hatch)" />}
              {hi > 0 && <rect x={x} y={hf} width={BAR} height={hi} className="identity-unsigned" />}
              {hv > 0 && <rect x={x} y={HEIGHT - hv} width={BAR} height={hv} className="identity-verified" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="row small">
        <span className="muted">{buckets.length > 0 && formatStart(buckets[0]!.start)}</span>
        <span className="identity-legend">
          <span className="identity-swatch identity-verified-swatch" aria-hidden="true" /> Verified
        </span>
        <span className="identity-legend">
          <span className="identity-swatch identity-unsigned-swatch" aria-hidden="true" /> Unsigned (identified)
        </span>
        <span className="identity-legend">
          <span className="identity-swatch identity-failed-swatch" aria-hidden="true" /> Failed (hatched)
        </span>
        <span className="muted identity-chart-end">{buckets.length > 0 && formatStart(buckets[buckets.length - 1]!.start)}</span>
      </figcaption>
    </figure>
  );
}
