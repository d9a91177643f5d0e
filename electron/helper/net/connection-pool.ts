/**
 * The helper's own kept-alive connections to servers, so REST calls to a far primary reuse one
 * TLS connection instead of paying a handshake each time, and stopping the helper closes them
 * (Node's global agent would keep them for the life of the process).
 *
 * One https agent serves every trust setting: Node keys an agent's idle sockets and TLS sessions
 * by the request's `ca`, which httpRequest always sets when an extra CA is trusted (trust.ts), so
 * a connection verified while a CA was trusted is never reused once that CA is removed.
 */
import http from 'node:http';
import https from 'node:https';

export interface ConnectionPool {
  agentFor(url: URL): http.Agent | https.Agent;
  destroy(): void;
}

export function createConnectionPool(): ConnectionPool {
  const options = { keepAlive: true, keepAliveMsecs: 15_000, maxSockets: 8, maxFreeSockets: 4, timeout: 60_000 };
  const httpAgent = new http.Agent(options);
  const httpsAgent = new https.Agent(options);
  return {
    agentFor: (url) => (url.protocol === 'https:' ? httpsAgent : httpAgent),
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
