/** An API key's metadata; the key itself is shown once, at creation. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters, so a team can tell keys apart. */
  prefix: string;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** `POST …/api-keys`: the new key with its metadata, shown this once. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** `GET …/api-keys`. */
export interface ApiKeysAnswer {
  apiKeys: ApiKeyView[];
}
