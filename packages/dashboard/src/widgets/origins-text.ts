/** Allowed origins typed one per line (or separated by commas or spaces) as the API's list. */
export function parseOriginsText(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((line) => line.trim())
    .filter(Boolean);
}
