import type { InstanceEmailView } from '@lumio/protocol';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/**
 * The instance's email settings (`GET /instance/email`): answered to the
 * instance owner only, so a refusal (403) also tells the dashboard not to
 * offer the page.
 */
export function instanceEmailQuery() {
  return queryOptions({
    queryKey: ['instance-email'],
    queryFn: () => api<InstanceEmailView>('/instance/email'),
    retry: false,
  });
}
