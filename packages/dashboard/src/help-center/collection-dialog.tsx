import { collectionBody, collectionPatchBody, type CollectionView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { Dialog, DialogFormActions } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';
import { SwitchField } from '../ui/switch-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { helpKey, helpPath } from './help-center-queries.js';

/** Creates a collection, or renames, redescribes and pins or unpins one (`collection` given). */
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
  const [pinned, setPinned] = useState(false);
  const [tried, setTried] = useState(false);
  const queryClient = useQueryClient();
  // A new collection goes last; a rename changes only what the form shows.
  const body = collection ? { name, description, pinned } : { name, description, pinned, position: nextPosition };
  const check = () => formIssue(collection ? collectionPatchBody : collectionBody, body);
  const issue = tried ? check() : null;
  const save = useMutation({
    mutationFn: () =>
      collection
        ? api<CollectionView>(`${helpPath(workspaceId)}/collections/${collection.id}`, { method: 'PATCH', body })
        : api<CollectionView>(`${helpPath(workspaceId)}/collections`, { body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: helpKey(workspaceId) });
      setOpen(false);
    },
  });
  const show = () => {
    setName(collection?.name ?? '');
    setDescription(collection?.description ?? '');
    setPinned(collection?.pinned ?? false);
    setTried(false);
    save.reset();
    setOpen(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!check()) save.mutate();
  };
  return (
    <>
      {trigger(show)}
      <Dialog open={open} onOpenChange={setOpen} title={collection ? `Edit “${collection.name}”` : 'New collection'}>
        <form className="stack" onSubmit={submit}>
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={issueFor(issue, 'name')}
            required
            maxLength={120}
            autoFocus
          />
          <TextareaField
            label="Description"
            hint="Shown under the collection's name in the widget's Help tab."
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={issueFor(issue, 'description')}
            maxLength={1000}
            rows={3}
          />
          <SwitchField
            label="Pinned"
            hint="Keeps this collection where you put it for every reader; unpinned collections may move up for readers interested in them."
            checked={pinned}
            onCheckedChange={setPinned}
          />
          <ErrorMessage error={save.error} />
          <DialogFormActions submitLabel={collection ? 'Save' : 'Create collection'} busy={save.isPending} />
        </form>
      </Dialog>
    </>
  );
}
