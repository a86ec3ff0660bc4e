import { DEFAULT_APPEARANCE, type RenderedBody } from '@lumio/protocol';
import type { Appearance, DeliveredAnnouncement } from '@lumio/protocol/browser';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { SelectField } from '../ui/select-field.js';
import { widgetQueries } from '../widgets/widget-queries.js';
import type { AnnouncementDraft } from './announcement-draft.js';
import { WidgetPreview } from './widget-preview.js';

/**
 * The draft as a visitor sees it, on demand: the body rendered by the server
 * (as a save would), in the real widget UI with a chosen widget's look. Taken
 * as a snapshot when asked, so a popup does not take the focus while one types.
 */
export function WidgetPreviewSection({ workspaceId, draft }: { workspaceId: string; draft: AnnouncementDraft }) {
  const [snapshot, setSnapshot] = useState<{ announcement: DeliveredAnnouncement; appearance: Appearance } | null>(null);
  const [widgetId, setWidgetId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const widgets = useQuery(widgetQueries.list(workspaceId));
  const list = widgets.data ?? [];
  const appearance = (list.find((w) => w.id === widgetId) ?? list[0])?.appearance ?? DEFAULT_APPEARANCE;

  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      const { html } = await api<RenderedBody>(`/workspaces/${workspaceId}/announcements/preview`, { body: { body: draft.body } });
      setSnapshot({
        appearance,
        announcement: {
          id: 'ann_preview',
          kind: draft.kind,
          title: draft.title || 'Untitled',
          html,
          cta: draft.ctaOn && draft.ctaLabel ? { label: draft.ctaLabel, url: draft.ctaUrl } : null,
          bannerPosition: draft.bannerPosition,
          frequency: draft.frequency,
          priority: 0,
          publishedAt: Date.now(),
          seen: false,
          clicked: false,
          dismissed: false,
        },
      });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

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
        <Button onClick={show} busy={busy}>
          {snapshot ? 'Update preview' : 'Show preview'}
        </Button>
      </div>
      <ErrorMessage error={error} />
      {snapshot && <WidgetPreview announcement={snapshot.announcement} appearance={snapshot.appearance} />}
    </section>
  );
}
