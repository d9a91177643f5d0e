/**
 * The one Content-Security-Policy of the UI, whether Electron loads it from disk or the helper
 * serves it to a browser. Scripts and styles come only from the app itself; the only network
 * the page may reach is a helper's WebSocket bridge on loopback.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
