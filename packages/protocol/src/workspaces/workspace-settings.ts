import { z } from 'zod';
import { PropertyLimits, PROPERTY_KEY_RULE, isPropertyKey } from '../identity/properties.js';

/** Bounds of the workspace settings (`…/workspaces/:workspaceId/settings`). */
export const WORKSPACE_SETTINGS_LIMITS = {
  // A user holds at most this many custom properties, so a longer list could never matter.
  maxBrowserVisibleKeys: PropertyLimits.maxKeys,
  // NOTE: the same bounds as the server's INTEREST_HALF_LIFE_DAYS (interests/interest-math.ts); a test compares them.
  interestHalfLifeDays: { min: 1, max: 365 },
  identityAlertFailurePercent: { min: 1, max: 100 },
  identityAlertMinAttempts: { min: 1, max: 1_000_000 },
} as const;

/** A workspace's settings as its members read them. */
export interface WorkspaceSettingsView {
  /** Custom property keys whose server-set (trusted) values a verified browser session may read back (`GET /me`). */
  browserVisibleKeys: string[];
  /** Days after which a person's interest in a topic counts half, without new activity. */
  interestHalfLifeDays: number;
  /** Whether help search, article lists and collections rank for the person reading. */
  personalisedHelp: boolean;
  /** Whether owners and admins get an email when identify fails too often in an hour (off by default; needs outgoing email). */
  identityAlerts: boolean;
  /** The failure rate, in percent of identify attempts over the last hour, at which the alert is sent. */
  identityAlertFailurePercent: number;
  /** The fewest identify attempts in the hour before the rate counts, so one failure alone never alerts. */
  identityAlertMinAttempts: number;
  /** Whether this instance can send email at all (read-only): without it the alert is never sent. */
  emailConfigured: boolean;
}

/** `PATCH …/workspaces/:workspaceId/settings` (owner/admin): any of the settings; the others stay. */
export const workspaceSettingsPatchBody = z
  .object({
    browserVisibleKeys: z
      .array(z.string().refine(isPropertyKey, { message: `Each key must be ${PROPERTY_KEY_RULE}.` }))
      .max(WORKSPACE_SETTINGS_LIMITS.maxBrowserVisibleKeys),
    interestHalfLifeDays: z
      .number()
      .int()
      .min(WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays.min)
      .max(WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays.max),
    personalisedHelp: z.boolean(),
    identityAlerts: z.boolean(),
    identityAlertFailurePercent: z
      .number()
      .int()
      .min(WORKSPACE_SETTINGS_LIMITS.identityAlertFailurePercent.min)
      .max(WORKSPACE_SETTINGS_LIMITS.identityAlertFailurePercent.max),
    identityAlertMinAttempts: z
      .number()
      .int()
      .min(WORKSPACE_SETTINGS_LIMITS.identityAlertMinAttempts.min)
      .max(WORKSPACE_SETTINGS_LIMITS.identityAlertMinAttempts.max),
  })
  .partial()
  .strict();

/** What `PATCH …/settings` takes. */
export type WorkspaceSettingsPatch = z.input<typeof workspaceSettingsPatchBody>;
