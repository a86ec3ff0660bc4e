import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RecordEvent } from '@lumio/sdk';
import type { AnnouncementsStore, WidgetView } from '../announcements/announcements-store.js';
import { Banner } from '../banner/banner.js';
import type { HelpStore, HelpView } from '../help/help-store.js';
import { Launcher } from '../launcher/launcher.js';
import { Panel, type PanelTab } from '../panel/panel.js';
import { Popup } from '../popup/popup.js';
import { themeVariables } from '../theme/theme.js';

/** The stores the widget UI draws from, and where it records what the user did with it (the engine's `record`). */
export interface WidgetStores {
  announcements: AnnouncementsStore;
  help: HelpStore;
  /** Records `$widget_opened` and `$widget_closed`; the stores record the rest through their APIs. */
  record: RecordEvent;
}

/** The whole widget UI over its stores: banner, launcher with its panel (What’s new and Help), and the popup on top. */
export function WidgetApp({ stores }: { stores: WidgetStores }) {
  const store = stores.announcements;
  const view = useStoreView(store);
  const helpView = useStoreView(stores.help);
  const [open, setOpen] = useState(false);
  // The tab the user chose last; until then the panel opens on What’s new, or on Help when there are no posts.
  const [tab, setTab] = useState<PanelTab | null>(null);
  const [bannerHeight, setBannerHeight] = useState(0);
  const launcher = useRef<HTMLButtonElement>(null);
  if (!view.loaded) return null;

  const close = () => {
    setOpen(false);
    launcher.current?.focus();
    stores.record('$widget_closed');
  };
  const openPanel = () => {
    setTab(tab ?? (view.posts.length > 0 ? 'news' : 'help'));
    setOpen(true);
    stores.record('$widget_opened');
  };
  const seen = (id: string) => store.seen(id);
  const cta = (id: string) => store.clicked(id);
  const dismiss = (id: string) => store.dismiss(id);
  const { theme, banner } = view;
  // A banner at the bottom would cover the launcher (and the launcher its close button): lift them above it.
  const lift = banner?.bannerPosition === 'bottom' ? bannerHeight : 0;
  return (
    <div
      class={`root ${theme.position === 'bottom-left' ? 'left' : 'right'}`}
      style={{ ...themeVariables(theme), '--lumio-lift': `${lift}px` }}
    >
      {banner && <Banner key={banner.id} announcement={banner} onSeen={seen} onCta={cta} onDismiss={dismiss} onHeight={setBannerHeight} />}
      <Launcher open={open} unread={view.unread} buttonRef={launcher} onToggle={() => (open ? close() : openPanel())} />
      {open && (
        <Panel
          posts={view.posts}
          tab={tab ?? 'news'}
          help={stores.help}
          helpView={helpView}
          onTab={setTab}
          onSeen={seen}
          onCta={cta}
          onClose={close}
        />
      )}
      {view.popup && <Popup key={view.popup.id} announcement={view.popup} onSeen={seen} onCta={cta} onDismiss={dismiss} />}
    </div>
  );
}

// Subscribed in a layout effect (right after the first render, not after a
// paint), and catching up on what changed before, so no answer is missed.
function useStoreView<V extends WidgetView | HelpView>(store: { view: V; subscribe(listener: (view: V) => void): () => void }): V {
  const [view, setView] = useState(store.view);
  useLayoutEffect(() => {
    setView(store.view);
    return store.subscribe(setView);
  }, [store]);
  return view;
}
