import type { AnnouncementFrequency, AnnouncementKind, AnnouncementView, AnnouncementVisibility, BannerPlacement } from '@lumio/protocol';
import type { Condition } from '@lumio/targeting';

/** What the editor holds while the team writes: form-friendly strings for times and the call to action. */
export interface AnnouncementDraft {
  kind: AnnouncementKind;
  title: string;
  body: string;
  ctaOn: boolean;
  ctaLabel: string;
  ctaUrl: string;
  bannerPosition: 'top' | 'bottom';
  /** `widget`: the showing widget's default (null on the wire). */
  bannerPlacement: BannerPlacement | 'widget';
  condition: Condition | null;
  segmentId: string;
  visibility: AnnouncementVisibility;
  properties: 'all' | 'trusted';
  /** `datetime-local` values, in the browser's time zone; empty for none. */
  startsAt: string;
  endsAt: string;
  frequency: AnnouncementFrequency;
  priority: string;
}

/** The editor's starting point: a saved announcement, or a new popup for everyone. */
export function draftOf(view: AnnouncementView | null): AnnouncementDraft {
  return {
    kind: view?.kind ?? 'popup',
    title: view?.title ?? '',
    body: view?.body ?? '',
    ctaOn: view?.cta != null,
    ctaLabel: view?.cta?.label ?? '',
    ctaUrl: view?.cta?.url ?? '',
    bannerPosition: view?.bannerPosition ?? 'top',
    bannerPlacement: view?.bannerPlacement ?? 'widget',
    condition: view?.audience.condition ?? null,
    segmentId: view?.audience.segmentId ?? '',
    visibility: view?.audience.visibility ?? 'everyone',
    properties: view?.audience.properties ?? 'all',
    startsAt: toLocalInput(view?.startsAt ?? null),
    endsAt: toLocalInput(view?.endsAt ?? null),
    frequency: view?.frequency ?? 'once',
    priority: String(view?.priority ?? 0),
  };
}

/** The body of a create or patch (`status` decides draft, live or ended). */
export function requestOf(draft: AnnouncementDraft, status: 'draft' | 'live' | 'ended') {
  return {
    kind: draft.kind,
    title: draft.title,
    body: draft.body,
    cta: draft.ctaOn ? { label: draft.ctaLabel, url: draft.ctaUrl } : null,
    bannerPosition: draft.bannerPosition,
    bannerPlacement: draft.bannerPlacement === 'widget' ? null : draft.bannerPlacement,
    audience: {
      condition: draft.condition,
      segmentId: draft.segmentId || null,
      visibility: draft.visibility,
      properties: draft.properties,
    },
    startsAt: fromLocalInput(draft.startsAt),
    endsAt: fromLocalInput(draft.endsAt),
    frequency: draft.frequency,
    priority: Number.parseInt(draft.priority, 10) || 0,
    status,
  };
}

/** The one condition the audience stands for (its rules and its segment, both required), as the server combines them. */
export function combinedCondition(draft: Pick<AnnouncementDraft, 'condition' | 'segmentId'>): Condition | null {
  // NOTE: mirrors combinedCondition in packages/server/src/announcements/announcements-service.ts.
  const parts: Condition[] = [];
  if (draft.condition) parts.push(draft.condition);
  if (draft.segmentId) parts.push({ $segment: draft.segmentId });
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { $and: parts };
}

function toLocalInput(at: number | null): string {
  if (at === null) return '';
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const at = new Date(value).getTime();
  return Number.isNaN(at) ? null : at;
}
