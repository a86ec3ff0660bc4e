import { z } from 'zod';

const email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
const password = z.string().min(1).max(1024);
// A new password's strength (MIN_PASSWORD_LENGTH) is the accounts service's to check: it answers `weak_password`.
const newPassword = z.string().max(1024);
const token = z.string().min(1).max(200);

/** `POST /setup`: the first owner and workspace, with the setup token the server printed. */
export const setupBody = z.object({
  token,
  email,
  password,
  name: z.string().max(255).optional(),
  workspaceName: z.string().trim().min(1).max(120),
});

/** `POST /auth/login`. */
export const signInBody = z.object({ email, password });

/** `PATCH /auth/me`: the account's new name. */
export const accountNameBody = z.strictObject({ name: z.string().trim().min(1).max(255) });

/** `POST /auth/change-password`: the current password proves it is the account's owner. */
export const changePasswordBody = z.strictObject({ currentPassword: password, newPassword });

/** `POST /auth/confirm-password`: re-authentication before a sensitive action. */
export const confirmPasswordBody = z.object({ password });

/** `POST /auth/password-reset`: a reset link's token and the new password. */
export const passwordResetBody = z.object({ token, password: newPassword });

/** `POST /auth/forgot-password`: the address to send a reset link to, if an account has it. */
export const forgotPasswordBody = z.object({ email });

/** What `POST /setup` takes. */
export type SetupBody = z.input<typeof setupBody>;
/** What `PATCH /auth/me` takes. */
export type AccountNameBody = z.input<typeof accountNameBody>;
/** What `POST /auth/change-password` takes. */
export type ChangePasswordBody = z.input<typeof changePasswordBody>;
