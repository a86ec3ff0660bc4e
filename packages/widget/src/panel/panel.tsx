import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';
import { AnnouncementContent } from '../content/announcement-content.js';

/** Props of the messages panel. */
export interface PanelProps {
  posts: readonly Announcement[];
  onSeen: (id: string) => void;
  onCta: (id: string) => void;
  onClose: () => void;
}

/**
 * The feed of posts the launcher opens: a non-modal dialog that takes focus
 * when it opens and closes on Escape or its close button (the widget then
 * gives focus back to the launcher). Posts shown count as seen.
 */
export function Panel({ posts, onSeen, onCta, onClose }: PanelProps) {
  const panel = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => panel.current?.focus(), []);
  useEffect(() => posts.forEach((post) => onSeen(post.id)), [posts]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onClose();
  };

  return (
    <div ref={panel} id="lumio-panel" class="panel" role="dialog" aria-labelledby="lumio-panel-title" tabIndex={-1} onKeyDown={onKeyDown}>
      <div class="panel-head">
        <h2 id="lumio-panel-title">What’s new</h2>
        <button type="button" class="close" aria-label="Close messages" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="feed">
        {posts.length === 0 ? (
          <p class="empty">No messages yet.</p>
        ) : (
          posts.map((post) => (
            <article key={post.id} class="post" aria-labelledby={`lumio-post-${post.id}`} data-announcement-id={post.id}>
              <h3 id={`lumio-post-${post.id}`}>{post.title}</h3>
              <time class="date" dateTime={isoDate(post.publishedAt)}>
                {formatDate(post.publishedAt)}
              </time>
              <AnnouncementContent announcement={post} onCta={() => onCta(post.id)} />
            </article>
          ))
        )}
      </div>
    </div>
  );
}

// A bad timestamp from the server shows no date rather than breaking the feed.
function formatDate(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function isoDate(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
