import type { EventNamesAnswer } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { parseConditionJson } from '../conditions/parse-condition-json.js';
import { RuleBuilder } from '../conditions/rule-builder.js';
import { useConditionDraft } from '../conditions/use-condition-draft.js';
import { propertyCatalogueQuery } from '../conditions/use-property-keys.js';
import { useSegments } from '../conditions/use-segments.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatDay } from '../ui/format.js';
import { SelectField } from '../ui/select-field.js';
import { SwitchField } from '../ui/switch-field.js';
import { TextField } from '../ui/text-field.js';
import { BUILT_IN_EVENTS, RANGE_PRESETS, type AnalyticsFilters } from './analytics-filters.js';
import { intervalOf, type FilterBarFields } from './report-fields.js';

// How long the property list is taken as current before opening the list asks again.
const CATALOGUE_FRESH_MS = 5_000;

const INTERVAL_LABELS = { hour: 'Hour', day: 'Day', week: 'Week' } as const;

/** The filter bar shared by the reports; every change goes into the URL (see analytics-filters.ts). */
export function AnalyticsFilterBar({
  workspaceId,
  filters,
  fields,
  onChange,
}: {
  workspaceId: string;
  filters: AnalyticsFilters;
  fields: FilterBarFields;
  onChange: (changes: Partial<AnalyticsFilters>) => void;
}) {
  const eventsListId = useId();
  const [event, setEvent] = useState(filters.event);
  // A shared link or the back button changes the URL: the drafts follow.
  useEffect(() => setEvent(filters.event), [filters.event]);
  const condition = useConditionDraft(filters.condition || null);
  const [conditionTried, setConditionTried] = useState(false);
  // A hand-edited link's condition that is not JSON is left out of the reports: say where it breaks.
  const linkCondition = filters.condition.trim() ? parseConditionJson(filters.condition) : null;

  // The rule builder's query (same key, same answer): a segment saved there shows here at once.
  const segments = useSegments(workspaceId, fields.who);
  // Fresh on each visit, and again when the list is opened (after CATALOGUE_FRESH_MS): a property
  // events start to carry is offered at once, not after the rule builder's five-minute cache.
  const properties = useQuery({ ...propertyCatalogueQuery(workspaceId), enabled: fields.breakdown, staleTime: CATALOGUE_FRESH_MS });
  // `isStale` is as of the last render: the time of the answer says whether it is old now.
  const refreshProperties = () => {
    if (!properties.isFetching && Date.now() - properties.dataUpdatedAt > CATALOGUE_FRESH_MS) void properties.refetch();
  };
  const eventNames = useQuery({
    queryKey: ['analytics', workspaceId, 'event-names'],
    queryFn: () => api<EventNamesAnswer>(`/workspaces/${workspaceId}/analytics/event-names`),
    enabled: fields.event,
    staleTime: 5 * 60_000,
  });
  // The app's own events (lumio.track), after the built-in ones every widget may send.
  const customEvents = (eventNames.data?.eventNames ?? []).filter((e) => !(e.name in BUILT_IN_EVENTS));

  const apply = (submit: FormEvent) => {
    submit.preventDefault();
    setConditionTried(true);
    if (fields.who && !condition.draft.valid) return;
    onChange({ event: event.trim() || filters.event, ...(fields.who ? { condition: condition.apply() ?? '' } : {}) });
  };

  const breakdownOptions: Array<readonly [string, string]> = [
    ['', 'No breakdown'],
    ['trust', 'Trust level'],
    ...(properties.data ?? [])
      .filter((p) => !p.highCardinality)
      .map((p) => [p.key, p.kind === 'trait' || p.kind === 'company' ? p.key : `${p.key} (property)`] as const),
  ];
  // A link may name a breakdown the catalogue has not listed (yet): keep it selectable.
  if (filters.breakdown && !breakdownOptions.some(([key]) => key === filters.breakdown))
    breakdownOptions.push([filters.breakdown, filters.breakdown]);
  const segmentOptions: Array<readonly [string, string]> = [
    ['', 'All users'],
    ...(segments.data ?? []).map((s) => [s.id, s.name] as const),
  ];
  if (filters.segmentId && !segmentOptions.some(([id]) => id === filters.segmentId))
    segmentOptions.push([filters.segmentId, filters.segmentId]);

  return (
    <form className="card analytics-filters" onSubmit={apply} aria-label="Report filters">
      <div className="analytics-filter-grid">
        {fields.event && (
          <>
            <TextField
              label="Event"
              list={eventsListId}
              value={event}
              onChange={(e) => setEvent(e.target.value)}
              hint="A built-in event or one your app sends with lumio.track."
              autoComplete="off"
            />
            <datalist id={eventsListId}>
              {Object.entries(BUILT_IN_EVENTS).map(([name, label]) => (
                <option key={name} value={name}>
                  {label}
                </option>
              ))}
              {customEvents.map((e) => (
                <option key={e.name} value={e.name}>
                  {`Custom event, last seen ${formatDay(e.lastDay)}`}
                </option>
              ))}
            </datalist>
          </>
        )}
        <SelectField
          label="Date range"
          value={filters.range}
          onChange={(e) => onChange({ range: e.target.value })}
          options={[...RANGE_PRESETS.map((days) => [days, `Last ${days} days`] as const), ['custom', 'Custom range']]}
        />
        {filters.range === 'custom' && (
          <>
            <TextField
              label="From (UTC day)"
              type="date"
              value={filters.fromDate}
              onChange={(e) => onChange({ fromDate: e.target.value })}
            />
            <TextField
              label="To (UTC day, included)"
              type="date"
              value={filters.toDate}
              onChange={(e) => onChange({ toDate: e.target.value })}
            />
          </>
        )}
        {fields.intervals && (
          <SelectField
            label="Interval"
            value={intervalOf(fields, filters.interval)}
            onChange={(e) => onChange({ interval: e.target.value as AnalyticsFilters['interval'] })}
            options={fields.intervals.map((i) => [i, INTERVAL_LABELS[i]] as const)}
          />
        )}
        {fields.breakdown && (
          <SelectField
            label="Break down by"
            value={filters.breakdown}
            onChange={(e) => onChange({ breakdown: e.target.value })}
            onFocus={refreshProperties}
            onPointerEnter={refreshProperties}
            options={breakdownOptions}
            hint={properties.isError ? 'The property list could not be loaded.' : 'High-cardinality properties are left out.'}
          />
        )}
        {fields.who && (
          <>
            <SelectField
              label="Segment"
              value={filters.segmentId}
              onChange={(e) => onChange({ segmentId: e.target.value })}
              options={segmentOptions}
            />
            <SelectField
              label="Properties as of"
              value={filters.on}
              onChange={(e) => onChange({ on: e.target.value as AnalyticsFilters['on'] })}
              options={[
                ['snapshot', 'Event time (snapshot)'],
                ['current', 'Now (current profile)'],
              ]}
            />
            <SwitchField
              label="Verified users only"
              checked={filters.verifiedOnly}
              onCheckedChange={(verifiedOnly) => onChange({ verifiedOnly })}
            />
          </>
        )}
      </div>
      {fields.who && (
        <fieldset className="analytics-condition-filter stack">
          <legend>Property filter</legend>
          <p className="muted small">Same rules as announcement targeting; no rules for everyone.</p>
          <RuleBuilder
            key={condition.builderKey}
            workspaceId={workspaceId}
            initial={condition.draft.condition}
            onChange={condition.setDraft}
          />
          {linkCondition && !linkCondition.ok && (
            <p className="field-error" role="alert">
              The link’s property filter is not valid JSON and is left out: {linkCondition.message}
            </p>
          )}
          {conditionTried && !condition.draft.valid && (
            <p className="field-error" role="status">
              Fix the property filter above to apply it.
            </p>
          )}
        </fieldset>
      )}
      {(fields.event || fields.who) && (
        <div className="row">
          <Button type="submit" variant="primary">
            Apply
          </Button>
        </div>
      )}
      {segments.isError && <ErrorMessage error={segments.error} />}
    </form>
  );
}
