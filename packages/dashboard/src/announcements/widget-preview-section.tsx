import { DEFAULT_APPEARANCE, type RenderedBody } from '@lumio/protocol';
import type { Appearance, DeliveredAnnouncement } from '@lumio/protocol/browser';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { SelectField } from '../ui/select-field.js';
import { useDebouncedValue } from '../conditions/use-debounced-value.js';
import { widgetQueries } from '../widgets/widget-queries.js';
import type { AnnouncementDraft } from './announcement-draft.js';
import { WidgetPreview } from './widget-preview.js';

// How long the draft rests before the preview follows it: one server render per pause in typing, not per key.
const FOLLOW_MS = 600;

/**
 * The draft as a visitor sees it: the body rendered by the server (as a save
 * would), in the real widget UI with a chosen widget's look. Shown on demand,
 * then live: it follows the draft a moment after each edit, and the focus
 * stays in the field being edited (WidgetPreview's keepFocus).
 */
export function WidgetPreviewSection({ workspaceId, draft }: { workspaceId: string; draft: AnnouncementDraft }) {
  const [snapshot, setSnapshot] = useState<{ announcement: DeliveredAnnouncement; appearance: Appearance } | null>(null);
  const [widgetId, setWidgetId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const widgets = useQuery(widgetQueries.list(workspaceId));
  const list = widgets.data ?? [];
  const appearance = (list.find((w) => w.id === widgetId) ?? list[0])?.appearance ?? DEFAULT_APPEARANCE;
  const settled = useDebouncedValue(draft, FOLLOW_MS);
  // Answers can arrive out of order: only the newest request's answer is drawn.
  const latest = useRef(0);

  const show = async (draft: AnnouncementDraft) => {
    const request = ++latest.current;
    setBusy(true);
    setError(null);
    try {
      const { html } = await api<RenderedBody>(`/workspaces/${workspaceId}/announcements/preview`, { body: { body: draft.body } });
      if (request !== latest.current) return;
      setSnapshot({
        appearance,
        announcement: {
          id: 'ann_preview',
          kind: draft.kind,
          title: draft.title || 'Untitled',
          html,
          cta: draft.ctaOn && draft.ctaLabel ? { label: draft.ctaLabel, url: draft.ctaUrl } : null,
          bannerPosition: draft.bannerPosition,
          bannerPlacement: draft.bannerPlacement === 'widget' ? appearance.bannerPlacement : draft.bannerPlacement,
          frequency: draft.frequency,
          priority: 0,
          publishedAt: Date.now(),
          seen: false,
          clicked: false,
          dismissed: false,
        },
      });
    } catch (caught) {
      if (request === latest.current) setError(caught);
    } finally {
      if (request === latest.current) setBusy(false);
    }
  };
  const shown = snapshot !== null;
  useEffect(() => {
    if (shown) void show(settled);
    // Follows the settled draft and the chosen look once shown; `show` itself changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled, appearance]);

  return (
    <section className="card stack widget-preview-section" aria-labelledby="widget-preview-title">
      <h2 id="widget-preview-title">Preview in the widget</h2>
      <div className="row">
        {list.length > 1 && (
          <SelectField
            label="Widget look"
            value={widgetId || list[0]!.id}
            onChange={(e) => setWidgetId(e.target.value)}
            options={list.map((w): [string, string] => [w.id, w.name])}
          />
        )}
        <Button onClick={() => void show(draft)} busy={busy}>
          {shown ? 'Refresh preview' : 'Show preview'}
        </Button>
        {shown && <span className="muted small">Follows your edits as you type.</span>}
      </div>
      <ErrorMessage error={error} />
      {snapshot && <WidgetPreview announcement={snapshot.announcement} appearance={snapshot.appearance} keepFocus />}
    </section>
  );
}
