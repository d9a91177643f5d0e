/**
 * Entry point when Electron main forks the helper with utilityProcess. Electron gives such a
 * process `process.parentPort`; main sends one MessagePort per renderer over it.
 */
import { createHelper } from './helper';
import { serveParentPort, type ParentPortLike } from './transports/message-port';

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  process.stderr.write('mirror-sync helper: utility-process entry started outside Electron; use `npm run helper` instead.\n');
  process.exit(2);
}

const helper = await createHelper({ backgroundSync: {}, resumeInterruptedClones: true });
serveParentPort(parentPort, helper.dispatcher);
process.on('SIGTERM', () => {
  void helper.stop().then(() => process.exit(0));
});
