import type { Appearance } from '../announcements/delivered-announcement.js';
import type { SecretValue } from './signing-secret-views.js';

/** Whether a widget accepts unsigned identify calls. */
export type VerificationMode = 'optional' | 'required';

/** A widget as the dashboard API shows it (never its secret). */
export interface WidgetView {
  id: string;
  workspaceId: string;
  name: string;
  /** Normalised origins the widget may load on; empty allows any site. */
  allowedOrigins: string[];
  verificationMode: VerificationMode;
  appearance: Appearance;
  createdAt: number;
  updatedAt: number;
}

/** `POST …/widgets`: the new widget with its first signing secret, shown this once. */
export interface CreatedWidget extends WidgetView {
  signingSecret: SecretValue;
}

/** `GET …/widgets`: a workspace's widgets, oldest first. */
export interface WidgetsAnswer {
  widgets: WidgetView[];
}

/** `GET …/widgets/:widgetId/install`: the snippet to paste, built for this server's public origin. */
export interface WidgetInstallAnswer {
  snippet: string;
}
