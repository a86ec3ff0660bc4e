import { WEBHOOK_ENDPOINT_LIMITS, webhookEndpointBody, type WebhookEndpointBody } from '@lumio/protocol';
import { formIssue, issueFor, type FormIssue } from '../api/form-issue.js';
import { TextField } from '../ui/text-field.js';
import { WEBHOOK_EVENT_CHOICES } from './webhook-event-labels.js';

/** What the endpoint form edits. */
export interface EndpointDraft {
  url: string;
  description: string;
  events: string[];
}

/** The body the API takes for a draft. */
export function endpointBody(draft: EndpointDraft): WebhookEndpointBody {
  return { url: draft.url.trim(), description: draft.description.trim(), events: draft.events as WebhookEndpointBody['events'] };
}

/**
 * What the API would refuse in a draft, checked here first: its schema, and
 * the URL's scheme (the server checks the rest of the URL and names it).
 */
export function endpointIssue(draft: EndpointDraft): FormIssue | null {
  const body = endpointBody(draft);
  if (body.url !== '' && !/^https?:\/\//i.test(body.url)) return { field: 'url', message: 'Start the address with https:// (or http://).' };
  if (draft.events.length === 0) return { field: 'events', message: 'Choose at least one event, or all events.' };
  return formIssue(webhookEndpointBody, body);
}

/** The URL, description and event checkboxes of an endpoint, for the add dialog and the settings form. */
export function WebhookEndpointFields({
  draft,
  onChange,
  issue,
  autoFocus,
}: {
  draft: EndpointDraft;
  onChange: (next: EndpointDraft) => void;
  issue: FormIssue | null;
  autoFocus?: boolean;
}) {
  const all = draft.events.includes('*');
  const toggle = (type: string, on: boolean) => {
    if (type === '*') return onChange({ ...draft, events: on ? ['*'] : [] });
    const rest = draft.events.filter((e) => e !== type && e !== '*');
    onChange({ ...draft, events: on ? [...rest, type] : rest });
  };
  const eventsError = issueFor(issue, 'events');
  return (
    <>
      <TextField
        label="Endpoint URL"
        value={draft.url}
        onChange={(e) => onChange({ ...draft, url: e.target.value })}
        error={issueFor(issue, 'url')}
        maxLength={WEBHOOK_ENDPOINT_LIMITS.urlLength}
        inputMode="url"
        spellCheck={false}
        autoComplete="off"
        placeholder="https://example.com/webhooks/lumio"
        hint="Where Lumio sends a POST request for each event. Use https in production."
        autoFocus={autoFocus}
      />
      <TextField
        label="Description (optional)"
        value={draft.description}
        onChange={(e) => onChange({ ...draft, description: e.target.value })}
        error={issueFor(issue, 'description')}
        maxLength={WEBHOOK_ENDPOINT_LIMITS.descriptionLength}
        hint="What receives it, e.g. “CRM sync”."
      />
      <fieldset className="webhook-events" aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
        <legend>Events to send</legend>
        <label className="webhook-event">
          <input type="checkbox" checked={all} onChange={(e) => toggle('*', e.target.checked)} />
          <span>
            All events <span className="muted small">(also those added by later versions of Lumio)</span>
          </span>
        </label>
        {WEBHOOK_EVENT_CHOICES.map(([type, words]) => (
          <label key={type} className="webhook-event">
            <input
              type="checkbox"
              checked={all || draft.events.includes(type)}
              disabled={all}
              onChange={(e) => toggle(type, e.target.checked)}
            />
            <span>
              {words} <code className="small">{type}</code>
            </span>
          </label>
        ))}
        {eventsError && (
          <p id="webhook-events-error" className="field-error">
            {eventsError}
          </p>
        )}
      </fieldset>
    </>
  );
}
