/**
 * Whether two form values hold the same data: plain objects compared key by
 * key whatever their order, arrays item by item, the rest with Object.is.
 * An edited form is one whose value is not the same as when it was loaded
 * or last saved.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  // A key set to undefined is the same as no key: a form's optional field left empty.
  const defined = (record: Record<string, unknown>) => Object.keys(record).filter((k) => record[k] !== undefined);
  if (defined(left).length !== defined(right).length) return false;
  return keys.every((key) => sameValue(left[key], right[key]));
}
