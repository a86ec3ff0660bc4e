import { z } from 'zod';

/** `POST …/api-keys`: a name the team tells the key by. */
export const apiKeyBody = z.object({ name: z.string().trim().max(120).default('API key') });

/** What `POST …/api-keys` takes. */
export type ApiKeyBody = z.input<typeof apiKeyBody>;
