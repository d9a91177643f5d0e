/**
 * `npm run helper`: the helper as its own process, reachable over the WebSocket bridge.
 * Prints exactly one JSON line on stdout ({ url, token, ... }) once it accepts connections;
 * logs go to stderr. With --ui <folder> it also serves the built renderer at `uiUrl`.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { createHelper } from './helper';
import { startWebSocketTransport } from './transports/websocket';
import { productVersion } from './version';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      ui: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run helper -- [--port N] [--ui dist/renderer]\n');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);

  // A supervisor that restarts the helper on the same --port can keep the token too
  // (from the environment, never argv, which other local users can read), so open pages reconnect.
  const token = process.env.MIRROR_CLONE_HELPER_TOKEN || undefined;
  if (token !== undefined && !/^[A-Za-z0-9_-]{32,200}$/.test(token)) throw new Error('MIRROR_CLONE_HELPER_TOKEN must be 32 to 200 letters, digits, - or _');

  const helper = await createHelper({ backgroundSync: {}, resumeInterruptedClones: true });
  const transport = await startWebSocketTransport(helper.dispatcher, {
    port,
    token,
    staticRoot: values.ui ? path.resolve(values.ui) : undefined,
    logger: helper.logger,
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await helper.stop();
    await transport.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  process.stdout.write(
    `${JSON.stringify({
      url: transport.url,
      token: transport.token,
      uiUrl: values.ui ? `${transport.httpUrl}#token=${transport.token}` : undefined,
      pid: process.pid,
      version: productVersion,
      dataDir: helper.dataDir,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`mirror-sync helper: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
