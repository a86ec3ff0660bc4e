/** An article's status in words, the published one also in green. */
export function StatusBadge({ status }: { status: 'draft' | 'published' }) {
  return <span className={status === 'published' ? 'badge badge-ok' : 'badge'}>{status === 'published' ? 'Published' : 'Draft'}</span>;
}
