import { afterEach, describe, expect, it } from 'vitest';
import { watchNetwork, type NetworkWatch } from '../../electron/helper/network/network-watch';

let watch: NetworkWatch | undefined;
afterEach(() => watch?.stop());

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A network the test moves the machine between; prefixCount 0 is offline. */
function place(id: string) {
  const where = { id, prefixCount: 1 };
  return { where, identity: async () => ({ ...where }) };
}

describe('noticing a move to another network', () => {
  it('counts a new network once it has stayed for the settle time, and only once', async () => {
    const { where, identity } = place('office');
    let moves = 0;
    watch = watchNetwork({ identity, onMove: () => (moves += 1), periodMs: 5, settleMs: 40 });
    await wait(30);
    expect(moves).toBe(0);
    where.id = 'hotel';
    await wait(15);
    expect(moves).toBe(0); // not settled yet
    await wait(80);
    expect(moves).toBe(1);
    expect(watch.lastMoveAt()).toBeGreaterThan(Date.now() - 200);
    await wait(60);
    expect(moves).toBe(1);
  });

  it('does not count a network that comes and goes before it settles (a roam, a VPN reconnecting)', async () => {
    const { where, identity } = place('office');
    let moves = 0;
    watch = watchNetwork({ identity, onMove: () => (moves += 1), periodMs: 5, settleMs: 60 });
    await wait(20);
    for (const id of ['vpn', 'office', 'vpn', 'office']) {
      where.id = id;
      await wait(25);
    }
    await wait(80);
    expect(moves).toBe(0);
    expect(watch.lastMoveAt()).toBeUndefined();
  });

  it('does not count going offline, nor coming back to the same network', async () => {
    const { where, identity } = place('home');
    let moves = 0;
    watch = watchNetwork({ identity, onMove: () => (moves += 1), periodMs: 5, settleMs: 30 });
    await wait(20);
    where.prefixCount = 0;
    where.id = 'offline';
    await wait(80);
    where.prefixCount = 1;
    where.id = 'home';
    await wait(80);
    expect(moves).toBe(0);
  });
});
