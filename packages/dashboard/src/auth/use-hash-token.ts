import { useState } from 'react';

/**
 * The `token` of the page's #fragment (setup, invite and reset links carry it
 * there, so it reaches no server log), removed from the address bar once read.
 */
export function useHashToken(): string {
  const [token] = useState(() => {
    const value = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
    if (value) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    return value;
  });
  return token;
}
