import type { AnnouncementsAnswer, Appearance, DeliveredAnnouncement } from '@lumio/protocol/browser';
import { useEffect, useRef, useState } from 'react';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';

/**
 * The draft announcement drawn by the real widget UI (`@lumio/widget`'s
 * mountWidget over its AnnouncementsStore, loaded only here) inside a blank
 * same-origin iframe standing in for the host page: the same Shadow DOM,
 * styles, layout and sanitised HTML a visitor gets. Nothing is reported:
 * the store's API answers the draft and drops seen/clicked/dismissed.
 */
export function WidgetPreview({
  announcement,
  appearance,
  keepFocus = false,
}: {
  announcement: DeliveredAnnouncement;
  appearance: Appearance;
  /** Redrawn while the team types: a popup must not take the focus from the field being edited. */
  keepFocus?: boolean;
}) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped by "Show again": the widget forgets a dismissal only when mounted anew.
  const [round, setRound] = useState(0);
  // "Show again" is asked for: that redraw may take the focus, as a visitor's popup does.
  const shownAgain = useRef(false);
  // The last element focused outside the preview: where the focus goes back after a redraw.
  const lastOutside = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && event.target !== frame.current) lastOutside.current = event.target;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);

  useEffect(() => {
    const doc = frame.current?.contentDocument;
    if (!doc) return;
    let unmount: (() => void) | undefined;
    let cancelled = false;
    const keep = keepFocus && !shownAgain.current;
    shownAgain.current = false;
    // The widget's popup focuses itself when drawn and, when removed, gives the focus back to what had it before
    // (the page's own element, or the frame): while redrawn for an edit, the focus goes straight back to the field
    // being edited. Once someone points or types inside the preview, its focus is theirs.
    const field = document.activeElement === frame.current ? lastOutside.current : document.activeElement;
    let theirs = false;
    const giveFocusBack = () => {
      if (keep && !theirs && field instanceof HTMLElement && field.isConnected && document.activeElement === frame.current)
        field.focus({ preventScroll: true });
    };
    const onFocusIn = () => queueMicrotask(giveFocusBack);
    const onUse = () => {
      theirs = true;
    };
    doc.addEventListener('focusin', onFocusIn);
    doc.addEventListener('pointerdown', onUse, true);
    doc.addEventListener('keydown', onUse, true);
    void (async () => {
      try {
        const { mountWidget, AnnouncementsStore, SessionDismissals, HelpStore } = await import('@lumio/widget');
        if (cancelled) return;
        const answer: AnnouncementsAnswer = { appearance, announcements: [announcement] };
        const noop = () => undefined;
        const store = new AnnouncementsStore(
          {
            list: async () => ({ ok: true, value: structuredClone(answer) }),
            send: async () => undefined,
            identity: () => 'preview',
            record: noop,
          },
          new SessionDismissals('preview', { sessionStorage: () => null, mayStore: () => false }),
        );
        const empty = { ok: true as const, value: { collections: [], articles: [] } };
        const help = new HelpStore({
          collections: async () => empty,
          articles: async () => empty,
          suggested: async () => empty,
          article: async () => ({ ok: false, code: 'not_found', message: 'Not in a preview.', status: 404 }),
          setSaved: async () => ({ ok: true, value: null }),
          feedback: async () => ({ ok: true, value: null }),
          record: noop,
        });
        const mounted = mountWidget({ announcements: store, help, record: noop }, doc);
        unmount = mounted.unmount;
        await store.refresh();
        if (announcement.kind === 'post') {
          // A post lives in the feed: open the panel as a visitor would.
          for (let i = 0; i < 50 && !mounted.host.shadowRoot?.querySelector('.launcher'); i++) await new Promise((r) => setTimeout(r, 10));
          mounted.host.shadowRoot?.querySelector<HTMLButtonElement>('.launcher')?.click();
        }
        if (!cancelled) giveFocusBack();
      } catch (caught) {
        if (!cancelled) setError(caught);
      }
    })();
    return () => {
      cancelled = true;
      const before = document.activeElement;
      unmount?.();
      if (keepFocus && before instanceof HTMLElement && before !== frame.current && document.activeElement !== before)
        before.focus({ preventScroll: true });
      doc.removeEventListener('focusin', onFocusIn);
      doc.removeEventListener('pointerdown', onUse, true);
      doc.removeEventListener('keydown', onUse, true);
    };
  }, [announcement, appearance, round, keepFocus]);

  return (
    <div className="stack">
      <iframe ref={frame} className="widget-preview-frame" title={`Widget preview: ${announcement.title}`} />
      <ErrorMessage error={error} />
      <div className="row">
        <Button
          onClick={() => {
            shownAgain.current = true;
            setRound((n) => n + 1);
          }}
        >
          Show again
        </Button>
        <span className="muted small">Closed it? Show it again. Clicks here are not counted.</span>
      </div>
    </div>
  );
}
