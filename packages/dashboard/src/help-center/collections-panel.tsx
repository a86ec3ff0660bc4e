import type { ArticleCounts, CollectionView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { CollectionDialog } from './collection-dialog.js';
import { helpKey, helpPath } from './help-center-queries.js';

/** Which articles the list shows: all, those outside any collection, or one collection's. */
export type CollectionFilter = 'all' | 'none' | string;

/** The collections in their order: pick one to list its articles; create, edit (name, description, pinned), reorder and delete them. */
export function CollectionsPanel({
  workspaceId,
  collections,
  counts,
  selected,
  onSelect,
}: {
  workspaceId: string;
  collections: CollectionView[];
  counts: ArticleCounts;
  selected: CollectionFilter;
  onSelect: (filter: CollectionFilter) => void;
}) {
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState<CollectionView | null>(null);

  // Positions are renumbered 0, 1, 2… in the new order; only the ones that moved are written.
  const reorder = useMutation({
    mutationFn: async ({ index, by }: { index: number; by: -1 | 1 }) => {
      const order = [...collections];
      const [moved] = order.splice(index, 1);
      order.splice(index + by, 0, moved!);
      for (const [position, c] of order.entries())
        if (c.position !== position) await api(`${helpPath(workspaceId)}/collections/${c.id}`, { method: 'PATCH', body: { position } });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: helpKey(workspaceId) }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`${helpPath(workspaceId)}/collections/${id}`, { method: 'DELETE' }),
    onSuccess: async (_, id) => {
      if (selected === id) onSelect('all');
      setDeleting(null);
      await queryClient.invalidateQueries({ queryKey: helpKey(workspaceId) });
    },
  });

  const filterButton = (filter: CollectionFilter, label: string, count: number, pinned = false) => (
    <button type="button" className="collection-filter" aria-pressed={selected === filter} onClick={() => onSelect(filter)}>
      <span>
        {label}
        {pinned && (
          <span className="badge collection-pin" title="Pinned: keeps its place for every reader">
            Pinned
          </span>
        )}
      </span>{' '}
      <span className="muted small">{count}</span>
    </button>
  );

  return (
    <section className="card collections-panel" aria-labelledby="collections-title">
      <div className="row collections-head">
        <h2 id="collections-title">Collections</h2>
        <CollectionDialog
          workspaceId={workspaceId}
          nextPosition={collections.length}
          trigger={(open) => (
            <Button variant="ghost" onClick={open}>
              New collection
            </Button>
          )}
        />
      </div>
      <ul className="plain-list">
        <li>{filterButton('all', 'All articles', counts.total)}</li>
        {collections.map((c, index) => (
          <li key={c.id} className="collection-item">
            {filterButton(c.id, c.name, counts.byCollection[c.id] ?? 0, c.pinned)}
            <div className="row collection-actions">
              <Button
                variant="ghost"
                aria-label={`Move ${c.name} up`}
                disabled={index === 0 || reorder.isPending}
                onClick={() => reorder.mutate({ index, by: -1 })}
              >
                ↑
              </Button>
              <Button
                variant="ghost"
                aria-label={`Move ${c.name} down`}
                disabled={index === collections.length - 1 || reorder.isPending}
                onClick={() => reorder.mutate({ index, by: 1 })}
              >
                ↓
              </Button>
              <CollectionDialog
                workspaceId={workspaceId}
                collection={c}
                trigger={(open) => (
                  <Button variant="ghost" onClick={open} aria-label={`Edit ${c.name}`}>
                    Edit
                  </Button>
                )}
              />
              <Button variant="ghost" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>
                Delete
              </Button>
            </div>
          </li>
        ))}
        <li>{filterButton('none', 'Not in a collection', counts.unfiled)}</li>
      </ul>
      <ErrorMessage error={reorder.error} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete the collection “${deleting?.name ?? ''}”?`}
        description="Its articles are kept, outside any collection. The widget stops showing the collection at once."
        confirmLabel="Delete collection"
        mutation={remove}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      />
    </section>
  );
}
