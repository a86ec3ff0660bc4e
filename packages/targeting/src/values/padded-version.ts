/**
 * A version string made comparable as text, with GrowthBook's rules so
 * `$vgt` and friends agree with it: `v` prefix and build metadata dropped,
 * numeric parts left-padded to 5, and a release (three parts) sorting after
 * its pre-releases (`1.0.0` > `1.0.0-beta`). Anything else counts as `0`.
 */
export function paddedVersion(input: unknown): string {
  const raw = typeof input === 'number' ? String(input) : input;
  const text = raw && typeof raw === 'string' ? raw : '0';
  const parts = text.replace(/(^v|\+.*$)/g, '').split(/[-.]/);
  if (parts.length === 3) parts.push('~');
  return parts.map((part) => (/^[0-9]+$/.test(part) ? part.padStart(5, ' ') : part)).join('-');
}
