import { ApiError } from '../api/api-error.js';

/** What went wrong, in the API's words (its message says what to do), with the request id to quote. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div role="alert" className="notice notice-error">
      {message}
      {requestId && <span className="muted"> (request {requestId})</span>}
    </div>
  );
}
