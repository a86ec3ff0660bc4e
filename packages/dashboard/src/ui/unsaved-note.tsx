/** Says, beside the item's status, that the form holds edits not saved yet. */
export function UnsavedNote({ dirty }: { dirty: boolean }) {
  return dirty ? <span className="unsaved-note"> · Unsaved changes</span> : null;
}
