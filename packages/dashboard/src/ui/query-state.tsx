import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorMessage } from './error-message.js';

/** Renders a query's data, or its loading line, or its error. */
export function QueryState<T>({
  query,
  children,
  loading = 'Loading…',
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  loading?: string;
}) {
  if (query.isPending)
    return (
      <p className="muted" role="status">
        {loading}
      </p>
    );
  if (query.isError) return <ErrorMessage error={query.error} />;
  return <>{children(query.data)}</>;
}
