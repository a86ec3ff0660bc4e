/**
 * Reads a condition typed as JSON: its value, or the message to show under
 * the field, with an example of valid JSON (the server checks the condition itself).
 */
export function parseConditionJson(text: string, example: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: `This is not valid JSON. Example: ${example}` };
  }
}
