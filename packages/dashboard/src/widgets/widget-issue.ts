import { widgetBody, type WidgetBody } from '@lumio/protocol';
import { formIssue, type FormIssue } from '../api/form-issue.js';

/**
 * What the API would refuse in a new widget. A module of its own so the
 * widgets list loads it (and zod with it) on demand, keeping zod out of the
 * dashboard's first page.
 */
export function widgetIssue(body: WidgetBody): FormIssue | null {
  return formIssue(widgetBody, body);
}
