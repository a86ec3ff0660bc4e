import { z } from 'zod';
import { ANNOUNCEMENT_LIMITS as L } from './announcement-limits.js';

// A CTA opens a web page: only http(s), so no javascript: or data: URL can be stored.
const ctaUrl = z
  .string()
  .trim()
  .max(L.urlLength)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL such as https://example.com/pricing');

const audience = z
  .object({
    // Checked in full by the condition language, which says where it is wrong.
    condition: z.unknown().optional(),
    segmentId: z.string().max(80).nullable().optional(),
    visibility: z.enum(['everyone', 'identified', 'verified']).optional(),
    properties: z.enum(['all', 'trusted']).optional(),
  })
  .strict();

const fields = {
  kind: z.enum(['popup', 'banner', 'post']),
  title: z.string().trim().min(1).max(L.titleLength),
  body: z.string().max(L.bodyLength),
  cta: z
    .object({ label: z.string().trim().min(1).max(L.ctaLabelLength), url: ctaUrl })
    .strict()
    .nullable(),
  bannerPosition: z.enum(['top', 'bottom']),
  // null: the widget's default (appearance.bannerPlacement).
  bannerPlacement: z.enum(['overlay', 'push']).nullable(),
  audience,
  startsAt: z.number().int().nonnegative().nullable(),
  endsAt: z.number().int().nonnegative().nullable(),
  frequency: z.enum(['once', 'until_dismissed', 'every_session']),
  priority: z.number().int().min(L.priorityMin).max(L.priorityMax),
  // What the team asks for; "scheduled" follows from a live status with a start in the future.
  status: z.enum(['draft', 'live', 'ended']),
};

/** `POST …/announcements`: kind and title required, the rest defaulted. */
export const createAnnouncementBody = z
  .object({
    ...fields,
    body: fields.body.optional(),
    cta: fields.cta.optional(),
    bannerPosition: fields.bannerPosition.optional(),
    bannerPlacement: fields.bannerPlacement.optional(),
    audience: fields.audience.optional(),
    startsAt: fields.startsAt.optional(),
    endsAt: fields.endsAt.optional(),
    frequency: fields.frequency.optional(),
    priority: fields.priority.optional(),
    status: fields.status.optional(),
  })
  .strict();

/** `PATCH …/announcements/:id`: any field. */
export const patchAnnouncementBody = z.object(fields).partial().strict();

/** `POST …/announcements/preview`: a body to render as a save would. */
export const announcementPreviewBody = z.object({ body: fields.body }).strict();

/** A parsed create body. */
export type CreateAnnouncementInput = z.infer<typeof createAnnouncementBody>;
/** A parsed patch body. */
export type PatchAnnouncementInput = z.infer<typeof patchAnnouncementBody>;
