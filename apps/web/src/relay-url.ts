/**
 * Where the relay is. In production the relay serves this app, so it is the page's own
 * origin; in development (Vite on another port) it is `VITE_RELAY_URL` or the default relay.
 */
export function relayWebSocketUrl(location: Location = window.location): string {
  const configured = import.meta.env.VITE_RELAY_URL as string | undefined;
  if (configured) return configured;
  if (import.meta.env.DEV) return 'ws://localhost:4455';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}`;
}
