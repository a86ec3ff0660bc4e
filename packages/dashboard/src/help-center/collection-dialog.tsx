import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { Dialog, DialogActions, DialogClose } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { helpKey, helpPath } from './help-center-queries.js';
import type { CollectionView } from './help-center-types.js';

/** Creates a collection, or renames and redescribes one (`collection` given). */
export function CollectionDialog({
  workspaceId,
  collection,
  nextPosition = 0,
  trigger,
}: {
  workspaceId: string;
  collection?: CollectionView;
  nextPosition?: number;
  trigger: (open: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      collection
        ? api<CollectionView>(`${helpPath(workspaceId)}/collections/${collection.id}`, { method: 'PATCH', body: { name, description } })
        : api<CollectionView>(`${helpPath(workspaceId)}/collections`, { body: { name, description, position: nextPosition } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: helpKey(workspaceId) });
      setOpen(false);
    },
  });
  const show = () => {
    setName(collection?.name ?? '');
    setDescription(collection?.description ?? '');
    save.reset();
    setOpen(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      {trigger(show)}
      <Dialog open={open} onOpenChange={setOpen} title={collection ? `Rename “${collection.name}”` : 'New collection'}>
        <form className="stack" onSubmit={submit}>
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus />
          <TextareaField
            label="Description"
            hint="Shown under the collection's name in the widget's Help tab."
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={1000}
            rows={3}
          />
          <ErrorMessage error={save.error} />
          <DialogActions>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" busy={save.isPending}>
              {collection ? 'Save' : 'Create collection'}
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
