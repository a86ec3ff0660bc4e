import type { WebhookEndpointView } from '@lumio/protocol';

/** Whether an endpoint receives events, in words (the colour only repeats them). */
export function EndpointStatusBadge({ endpoint }: { endpoint: WebhookEndpointView }) {
  return endpoint.enabled ? <span className="badge badge-ok">Enabled</span> : <span className="badge">Disabled</span>;
}
