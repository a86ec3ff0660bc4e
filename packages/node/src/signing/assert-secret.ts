/** Throws a `TypeError` unless the signing secret is a non-empty string. */
export function assertSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.length === 0) {
    // Never echo the value: it may be a real secret in the wrong argument slot.
    throw new TypeError('secret must be the widget signing secret as a non-empty string (it starts with "lsk_").');
  }
}
