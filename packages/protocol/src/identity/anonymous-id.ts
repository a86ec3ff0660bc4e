// NOTE: the SDK creates ids of this form and the server accepts only these.
/** An anonymous id: 8–64 letters, digits, `_` or `-` (the SDK makes `anon_` + 22 base64url characters). */
export const ANONYMOUS_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
