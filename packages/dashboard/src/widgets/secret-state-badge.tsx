import type { SecretView } from '@lumio/protocol';
import { formatTime } from '../ui/format.js';

/** A secret's state in words (and a colour that only repeats them). */
export function SecretStateBadge({ secret }: { secret: SecretView }) {
  switch (secret.state) {
    case 'current':
      return <span className="badge badge-ok">In use</span>;
    case 'grace':
      return <span className="badge badge-warn">Grace period — verifies until {formatTime(secret.expiresAt)}</span>;
    case 'retired':
      return <span className="badge">Retired — no longer verifies</span>;
    case 'revoked':
      return <span className="badge badge-danger">Revoked</span>;
  }
}
