// `npm run demo`: starts an emulated Bitbucket Data Center (a far primary, mirrors at different
// distances, among them a near one on a thin link beside a farther, faster one, with real
// repositories), then the app pointed at it: the mirror-sync helper with the primary already
// connected, and its UI (Electron's window where it can run, otherwise the same UI in a browser
// at the printed address). Ctrl-C (or SIGTERM) stops every
// server, sshd, proxy and the helper, and removes the temp dirs.
import { demoDescription, demoSummary, startDemoTopology } from '../test/fixtures/bitbucket/demo-topology';
import type { Topology } from '../test/fixtures/bitbucket/topology';
import { startDemoApp, type DemoApp } from './demo-app';

let world: Topology | undefined;
let app: DemoApp | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (!world) {
    // Still starting: startDemoTopology() is awaited below and stops the world once it exists.
    console.log(`\n${signal}: stopping as soon as start-up finishes...`);
    return;
  }
  console.log(`\n${signal}: stopping the app and the emulator...`);
  await app?.stop();
  await world.stop();
  console.log('Stopped; nothing left running.');
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

console.log('Starting the emulated Bitbucket (generating about 100 MB of repositories)...');
const started = performance.now();
try {
  world = await startDemoTopology();
} catch (error) {
  console.error('The emulator could not start:', error);
  process.exit(1);
}
if (stopping) {
  await world.stop();
  process.exit(0);
}
console.log(`Started in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
console.log(demoSummary(world, demoDescription()));
try {
  app = await startDemoApp(world);
} catch (error) {
  console.error('The app could not start:', error);
  await world.stop();
  process.exit(1);
}
console.log('\nThe app');
console.log(app.electron ? '  Electron window opened.' : `  Open in a browser: ${app.uiUrl}`);
console.log(`  Its helper keeps its data in ${app.home}; the primary above is already connected.`);
console.log('\nPress Ctrl-C to stop.');
