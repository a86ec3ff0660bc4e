import type { ErrorBody } from '@lumio/protocol/browser';
import { ApiError } from './api-error.js';

/** The dashboard API's base path; every call is same-origin with the session cookie. */
export const API_BASE = '/api/v1';

/** A request to the dashboard API. */
export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Calls the dashboard API and answers its JSON, or throws an {@link ApiError}
 * with the server's stable code and message.
 *
 * @example
 * const widgets = await api<WidgetView[]>(`/workspaces/${workspaceId}/widgets`);
 */
export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      credentials: 'same-origin',
      headers:
        request.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Lumio could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(response.status, 'unexpected_answer', `Lumio answered ${response.status} with something that is not JSON.`);
  }
  if (!response.ok) {
    const error = (json as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'unexpected_answer',
      error?.message ?? `Lumio answered ${response.status}.`,
      error?.details,
      error?.requestId,
    );
  }
  return json as T;
}

/** The URL of an API resource, for links the browser follows itself (CSV downloads, exports). */
export function apiUrl(path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return API_BASE + path + (search ? `?${search}` : '');
}
