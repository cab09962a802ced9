/**
 * In-process signal that some credential (API key, session) was revoked, so that open
 * WebSocket connections re-check theirs and close when it no longer holds.
 */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onCredentialsRevoked(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function credentialsRevoked(): void {
  for (const fn of listeners) fn();
}
