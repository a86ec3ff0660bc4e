import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';
import { AnnouncementContent } from '../content/announcement-content.js';
import { HelpCenter } from '../help/help-center.js';
import type { HelpStore, HelpView } from '../help/help-store.js';
import { NARROW_SCREEN } from '../mount/widget-styles.js';
import { trapTab } from '../popup/focus-trap.js';

/** The panel's tabs, in order. */
export const PANEL_TABS = { news: 'What’s new', help: 'Help' } as const;

/** A tab of the panel. */
export type PanelTab = keyof typeof PANEL_TABS;

/** Props of the panel of news and help. */
export interface PanelProps {
  posts: readonly Announcement[];
  tab: PanelTab;
  help: HelpStore;
  helpView: HelpView;
  onTab: (tab: PanelTab) => void;
  onSeen: (id: string) => void;
  onCta: (id: string) => void;
  onClose: () => void;
}

const TAB_IDS = Object.keys(PANEL_TABS) as PanelTab[];

/**
 * The panel the launcher opens: a dialog with two tabs, the feed of posts
 * ("What’s new") and the help center ("Help"), named after the tab shown.
 * It takes focus when it opens and closes on Escape or its close button (the
 * widget then gives focus back to the launcher). On a wide screen it floats
 * beside the page, non-modal; on a narrow one it covers the whole screen
 * (the stylesheet's NARROW_SCREEN), so it is modal there and keeps Tab
 * inside, as nothing behind it can be seen. Posts shown count as seen; the
 * help center is drawn (and fetches) once its tab is first opened, then kept
 * so switching tabs loses nothing.
 */
export function Panel({ posts, tab, help, helpView, onTab, onSeen, onCta, onClose }: PanelProps) {
  const panel = useRef<HTMLDivElement>(null);
  const helpOpened = useRef(false);
  helpOpened.current ||= tab === 'help';
  const [fullScreen, setFullScreen] = useState(false);
  useLayoutEffect(() => panel.current?.focus(), []);
  // The window the panel is drawn in (the dashboard's preview draws it in an iframe).
  useLayoutEffect(() => {
    const query = panel.current?.ownerDocument.defaultView?.matchMedia?.(NARROW_SCREEN);
    if (!query) return;
    const follow = () => setFullScreen(query.matches);
    follow();
    query.addEventListener?.('change', follow);
    return () => query.removeEventListener?.('change', follow);
  }, []);
  useEffect(() => {
    if (tab === 'news') posts.forEach((post) => onSeen(post.id));
  }, [posts, tab]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') {
      if (fullScreen && panel.current) trapTab(event, panel.current);
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    onClose();
  };

  // Tabs with automatic activation: arrows (wrapping), Home and End move focus and select.
  const onTabKey = (event: KeyboardEvent) => {
    const index = TAB_IDS.indexOf(tab);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TAB_IDS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + TAB_IDS.length) % TAB_IDS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TAB_IDS.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    onTab(TAB_IDS[next]!);
    panel.current?.querySelector<HTMLElement>(`#lumio-tab-${TAB_IDS[next]}`)?.focus();
  };

  return (
    <div
      ref={panel}
      id="lumio-panel"
      class="panel"
      role="dialog"
      aria-modal={fullScreen ? 'true' : undefined}
      aria-labelledby="lumio-panel-title"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div class="panel-head">
        <div class="panel-title">
          <h2 id="lumio-panel-title">{PANEL_TABS[tab]}</h2>
          <button type="button" class="close" aria-label="Close news and help" onClick={onClose}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div class="tabs" role="tablist" aria-label="News and help">
          {TAB_IDS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`lumio-tab-${id}`}
              class="tab"
              aria-selected={tab === id ? 'true' : 'false'}
              aria-controls={`lumio-tabpanel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              onClick={() => onTab(id)}
              onKeyDown={onTabKey}
            >
              {PANEL_TABS[id]}
            </button>
          ))}
        </div>
      </div>
      <div class="feed" id="lumio-tabpanel-news" role="tabpanel" aria-labelledby="lumio-tab-news" tabIndex={0} hidden={tab !== 'news'}>
        {posts.length === 0 ? (
          <p class="empty">No news yet. Product updates will show up here.</p>
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
      <div class="tabpanel" id="lumio-tabpanel-help" role="tabpanel" aria-labelledby="lumio-tab-help" hidden={tab !== 'help'}>
        {helpOpened.current && <HelpCenter key={helpView.epoch} store={help} view={helpView} />}
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
