/**
 * A userId as one path segment of a URL: percent-encoded, dots included, so
 * an id like ".." stays an id instead of a step up the path.
 */
export function encodeUserId(userId: string): string {
  return encodeURIComponent(userId).replace(/\./g, '%2E');
}
