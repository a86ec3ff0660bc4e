import type { ReactNode } from 'react';
import { Button } from './button.js';

/**
 * The foot of a list read page by page with a cursor (`useInfiniteQuery`):
 * how many rows are shown, and the button for the next page, or a note that
 * there is none.
 */
export function LoadMore({
  pages,
  label,
  shown,
  end,
}: {
  /** The list's `useInfiniteQuery` result. */
  pages: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
  label: string;
  /** How many rows are shown: announced politely as pages arrive. */
  shown?: ReactNode;
  /** Said when the last page is in. */
  end?: ReactNode;
}) {
  if (!pages.hasNextPage && shown === undefined && end === undefined) return null;
  return (
    <div className="row pager">
      {shown !== undefined && (
        <span className="muted small" role="status">
          {shown}
        </span>
      )}
      {pages.hasNextPage ? (
        <Button onClick={() => void pages.fetchNextPage()} busy={pages.isFetchingNextPage}>
          {label}
        </Button>
      ) : (
        end !== undefined && <p className="muted small">{end}</p>
      )}
    </div>
  );
}
