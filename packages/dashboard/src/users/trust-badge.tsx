import type { TrustLevel, ValueSource } from '@lumio/protocol';

/** A user's trust level in words (the colour only repeats them). */
export function TrustBadge({ trust }: { trust: TrustLevel | string }) {
  return trust === 'verified' ? (
    <span className="badge badge-ok">Verified</span>
  ) : trust === 'identified' ? (
    <span className="badge badge-warn">Identified, unverified</span>
  ) : (
    <span className="badge">{trust === 'anonymous' ? 'Anonymous' : trust}</span>
  );
}

const SOURCES: Record<ValueSource, [label: string, className: string, meaning: string]> = {
  trusted: ['Trusted', 'badge badge-ok', 'From a signed token or the server API'],
  claimed: ['Claimed', 'badge', 'Sent by the browser of a verified session'],
  unverified: ['Unverified', 'badge badge-warn', 'Sent by an unverified identify'],
};

/** Where a stored value came from, in words, with what that means on hover and for screen readers. */
export function SourceBadge({ source }: { source: ValueSource | undefined }) {
  if (!source) return <span className="muted small">unknown</span>;
  const [label, className, meaning] = SOURCES[source];
  return (
    <span className={className} title={meaning}>
      {label}
      <span className="sr-only">: {meaning}</span>
    </span>
  );
}
