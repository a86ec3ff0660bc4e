import { z } from 'zod';

const fields = {
  name: z.string().trim().min(1).max(120),
  description: z.string().max(1000).optional(),
  // Checked in full by the condition language, which says where it is wrong.
  condition: z.unknown(),
};

/** `POST …/segments`. */
export const segmentBody = z.object(fields).strict();

/** `PATCH …/segments/:segmentId`: any field of {@link segmentBody}. */
export const segmentPatchBody = z.object(fields).partial().strict();

/** `POST …/segments/preview`: who a condition would reach, before it is saved anywhere. */
export const audiencePreviewBody = z
  .object({ condition: z.unknown(), properties: z.enum(['all', 'trusted']).optional(), verifiedOnly: z.boolean().optional() })
  .strict();

/** What `POST …/segments` takes. */
export type SegmentBody = z.input<typeof segmentBody>;
