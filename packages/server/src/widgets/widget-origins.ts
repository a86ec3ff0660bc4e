import { LumioError } from '../errors/lumio-error.js';

const MAX_ORIGINS = 50;

/**
 * Validates and normalises allowed origins: `https://app.example.com`,
 * `http://localhost:3000`, or a wildcard subdomain `https://*.example.com`.
 */
export function normalizeOrigins(input: unknown): string[] {
  if (!Array.isArray(input))
    throw new LumioError('invalid_request', 'allowedOrigins must be a list of origins such as "https://app.example.com".', {
      field: 'allowedOrigins',
    });
  if (input.length > MAX_ORIGINS)
    throw new LumioError('invalid_request', `At most ${MAX_ORIGINS} allowed origins.`, { field: 'allowedOrigins' });
  const out = new Set<string>();
  for (const item of input) {
    if (typeof item !== 'string')
      throw new LumioError('invalid_request', 'Each allowed origin must be a string.', { field: 'allowedOrigins' });
    const wildcard = /^(https?):\/\/\*\.(.+)$/.exec(item.trim());
    const candidate = wildcard ? `${wildcard[1]}://wildcard.${wildcard[2]}` : item.trim();
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      throw new LumioError('invalid_request', `"${item}" is not an origin; write it like https://app.example.com.`, {
        field: 'allowedOrigins',
        value: item,
      });
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username) {
      throw new LumioError('invalid_request', `"${item}" is not an origin; write scheme and host only, like https://app.example.com.`, {
        field: 'allowedOrigins',
        value: item,
      });
    }
    out.add(wildcard ? `${url.protocol}//*.${url.host.slice('wildcard.'.length)}` : url.origin);
  }
  return [...out];
}

/** Whether a request Origin is allowed; an empty list allows every origin. */
export function isOriginAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.length === 0) return true;
  if (!origin) return false;
  for (const entry of allowed) {
    if (entry === origin) return true;
    const star = entry.indexOf('//*.');
    if (star !== -1) {
      const scheme = entry.slice(0, star + 2);
      const suffix = entry.slice(star + 3); // ".example.com"
      if (origin.startsWith(scheme) && origin.endsWith(suffix) && !origin.slice(scheme.length, -suffix.length).includes('/')) return true;
    }
  }
  return false;
}
