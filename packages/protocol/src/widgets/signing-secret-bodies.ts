import { z } from 'zod';

/** `POST …/secrets/reveal`: the password, when the session's last proof of it is too old. */
export const revealSecretsBody = z.object({ password: z.string().max(1024).optional() });

/** `POST …/secrets/rotate`: how long the previous secret keeps verifying (the server's default when absent). */
export const rotateSecretBody = z.object({
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(90 * 86400)
    .optional(),
});
