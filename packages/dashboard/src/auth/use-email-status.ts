import type { EmailStatus } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** Whether this Lumio instance sends email (invites, reset links); pages say so plainly when it does not. */
export function useEmailStatus() {
  return useQuery({ queryKey: ['email-status'], queryFn: () => api<EmailStatus>('/auth/email-status'), staleTime: 60_000 });
}
