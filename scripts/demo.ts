// `npm run demo`: starts an emulated Bitbucket Data Center (a far primary and two mirrors at
// different distances, with real repositories) and prints how to point the app and the CLI at
// it. Ctrl-C (or SIGTERM) stops every server, sshd and proxy, and removes the temp dir.
import { demoDescription, demoSummary, startDemoTopology } from '../test/fixtures/bitbucket/demo-topology';
import type { Topology } from '../test/fixtures/bitbucket/topology';

let world: Topology | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (!world) {
    // Still starting: startDemoTopology() is awaited below and stops the world once it exists.
    console.log(`\n${signal}: stopping as soon as start-up finishes...`);
    return;
  }
  console.log(`\n${signal}: stopping the emulator...`);
  await world.stop();
  console.log('Stopped; nothing left running.');
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

console.log('Starting the emulated Bitbucket (generating about 60 MB of repositories)...');
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
console.log('\nPress Ctrl-C to stop.');
