import { checkBody, type IssueWords } from '@lumio/protocol';

/** A field the API would refuse, and what to fix there. */
export interface FormIssue {
  /** The body's field, dotted like the API's `details.field` (`allowedOrigins.2`). */
  field: string;
  message: string;
}

// zod's words suit a developer reading an API error; a form says it plainly. Anything
// else keeps the schema's own message (an email, a slug, a URL say what they expect).
const WORDS: IssueWords = (issue) => {
  if (issue.code === 'too_small' && issue.origin === 'string')
    return Number(issue.minimum) <= 1 ? 'Cannot be empty.' : `Use at least ${issue.minimum} characters.`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `Use at most ${issue.maximum} characters.`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `At most ${issue.maximum} entries.`;
  return undefined;
};

/**
 * The first problem the API would find in what a form is about to send,
 * checked with the API's own schema, or null: the form shows it next to its
 * field instead of sending something the server refuses.
 *
 * @example
 * const issue = formIssue(apiKeyBody, { name });
 * <TextField label="Name" error={issueFor(issue, 'name')} />
 */
export function formIssue(schema: Parameters<typeof checkBody>[0], body: unknown): FormIssue | null {
  const check = checkBody(schema, body, WORDS);
  return check.ok ? null : { field: check.field, message: check.message };
}

/** The message for one field when the issue is in it (or in one of its entries, which is then named). */
export function issueFor(issue: FormIssue | null, field: string): string | undefined {
  if (!issue) return undefined;
  if (issue.field === field) return issue.message;
  const entry = issue.field.startsWith(`${field}.`) ? Number(issue.field.slice(field.length + 1)) : Number.NaN;
  return Number.isInteger(entry) ? `Entry ${entry + 1}: ${issue.message}` : undefined;
}
