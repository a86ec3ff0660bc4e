import { z } from 'zod';

/** `POST …/widgets` (and, every field optional, `PATCH …/widgets/:widgetId`). */
export const widgetBody = z.object({
  name: z.string().trim().min(1).max(120),
  // Each origin is normalised (and refused when it is not one) by the server's normalizeOrigins.
  allowedOrigins: z.array(z.string().max(300)).max(50).optional(),
  verificationMode: z.enum(['optional', 'required']).optional(),
  // Checked in full by the server's parseAppearance, which names the field at fault.
  appearance: z.unknown().optional(),
});

/** `PATCH …/widgets/:widgetId`: any field of {@link widgetBody}. */
export const widgetPatchBody = widgetBody.partial();

/** What `POST …/widgets` takes. */
export type WidgetBody = z.input<typeof widgetBody>;
