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
    // The widget's popup focuses itself when drawn and gives the focus back when removed, both inside the frame,
    // which pulls the page's focus into the frame: give it back to the field being edited.
    const giveFocusBack = () => {
      const field = lastOutside.current;
      if (keep && field?.isConnected && document.activeElement === frame.current) field.focus({ preventScroll: true });
    };
    doc.body.style.cssText = 'margin:0;font:14px system-ui,sans-serif;color:#6b7280;background:#f3f4f6';
    doc.body.innerHTML = '';
    const page = doc.createElement('p');
    page.textContent = 'Your app’s page';
    page.style.cssText = 'margin:0;padding:64px 24px;text-align:center';
    doc.body.append(page);
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
        // A popup or the panel takes the focus in a layout effect of the render that follows.
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        if (!cancelled) giveFocusBack();
      } catch (caught) {
        if (!cancelled) setError(caught);
      }
    })();
    return () => {
      cancelled = true;
      unmount?.();
      giveFocusBack();
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
