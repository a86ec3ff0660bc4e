import type { MemberView } from '@lumio/protocol';
import { useSearchParams } from 'react-router';
import { Button } from '../ui/button.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { AUDIT_ACTION_OPTIONS } from './audit-action-labels.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_KEYS = ['actor', 'action', 'from', 'to'] as const;

/** The audit log's filters as the page's URL holds them (so a filtered view can be shared), and as the API takes them. */
export interface AuditFilterState {
  actor: string;
  action: string;
  /** Days as `YYYY-MM-DD`, both inclusive, in the browser's time zone. */
  from: string;
  to: string;
  /** The API query string for them (`&actor=…&from=<ms>…`); days become the browser's local midnight and end of day. */
  query: string;
  /** A day field that is not a date, or a range that ends before it starts. */
  errors: { from?: string; to?: string };
}

// A day in the browser's time zone, as milliseconds: its first or its last millisecond; null when it is not a date.
function localDay(value: string, edge: 'start' | 'end'): number | null {
  if (!DATE.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const at = edge === 'start' ? new Date(y, m - 1, d) : new Date(y, m - 1, d, 23, 59, 59, 999);
  return at.getFullYear() === y && at.getMonth() === m - 1 && at.getDate() === d ? at.getTime() : null;
}

/** Reads the filters from the URL: the values, their API query string and any error to show. */
export function useAuditFilters(): [AuditFilterState, (key: (typeof FILTER_KEYS)[number], value: string) => void, () => void] {
  const [params, setParams] = useSearchParams();
  const actor = params.get('actor') ?? '';
  const action = params.get('action') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const fromMs = from ? localDay(from, 'start') : null;
  const toMs = to ? localDay(to, 'end') : null;
  const errors: AuditFilterState['errors'] = {};
  if (from && fromMs === null) errors.from = 'Not a date: pick one from the calendar or type YYYY-MM-DD.';
  if (to && toMs === null) errors.to = 'Not a date: pick one from the calendar or type YYYY-MM-DD.';
  if (fromMs !== null && toMs !== null && fromMs > toMs) errors.to = 'The end is before the start.';
  const query = new URLSearchParams();
  if (actor) query.set('actor', actor);
  if (action) query.set('action', action);
  // A bad day is left out of the request (its field says why) rather than sent for the server to refuse.
  if (fromMs !== null && !errors.to) query.set('from', String(fromMs));
  if (toMs !== null && !errors.to) query.set('to', String(toMs));
  const set = (key: (typeof FILTER_KEYS)[number], value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const clear = () =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        for (const key of FILTER_KEYS) next.delete(key);
        return next;
      },
      { replace: true },
    );
  const text = query.toString();
  return [{ actor, action, from, to, query: text ? `&${text}` : '', errors }, set, clear];
}

/** The filter form above the audit log: who (a member of the team), what (an action, in words) and when (a range of days). */
export function AuditFilters({
  filters,
  members,
  onChange,
  onClear,
}: {
  filters: AuditFilterState;
  members: MemberView[];
  onChange: (key: (typeof FILTER_KEYS)[number], value: string) => void;
  onClear: () => void;
}) {
  // An actor in the URL who is no longer on the team still shows as chosen.
  const actorOptions: Array<readonly [string, string]> = [
    ['', 'Anyone'],
    ...members.map((m) => [m.accountId, m.name ? `${m.name} (${m.email})` : m.email] as const),
  ];
  if (filters.actor && !members.some((m) => m.accountId === filters.actor))
    actorOptions.push([filters.actor, `Former member ${filters.actor}`]);
  const active = filters.actor || filters.action || filters.from || filters.to;
  return (
    <form className="audit-filters card" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
      <SelectField label="Who" value={filters.actor} onChange={(e) => onChange('actor', e.target.value)} options={actorOptions} />
      <SelectField
        label="Action"
        value={filters.action}
        onChange={(e) => onChange('action', e.target.value)}
        options={[['', 'Any action'], ...AUDIT_ACTION_OPTIONS]}
      />
      <TextField
        label="From"
        type="date"
        value={filters.from}
        error={filters.errors.from}
        onChange={(e) => onChange('from', e.target.value)}
      />
      <TextField label="To" type="date" value={filters.to} error={filters.errors.to} onChange={(e) => onChange('to', e.target.value)} />
      {active && (
        <div className="audit-filters-clear">
          <Button type="button" variant="secondary" onClick={onClear}>
            Clear filters
          </Button>
        </div>
      )}
    </form>
  );
}
