/**
 * The watcher looks every few milliseconds here; the settle time runs on a clock the test moves,
 * so "not settled yet" and "settled" do not depend on how busy the machine is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { watchNetwork, type NetworkWatch } from '../../electron/helper/network/network-watch';

let watch: NetworkWatch | undefined;
afterEach(() => watch?.stop());

/** Long enough for several looks at 2 ms apart. */
const looks = () => new Promise((resolve) => setTimeout(resolve, 40));

function world(id: string) {
  const where = { id, prefixCount: 1 };
  const clock = { now: 1_000_000 };
  let moves = 0;
  watch = watchNetwork({ identity: async () => ({ ...where }), onMove: () => (moves += 1), periodMs: 2, settleMs: 30_000, now: () => clock.now });
  return { where, clock, moves: () => moves };
}

describe('noticing a move to another network', () => {
  it('counts a new network once it has stayed for the settle time, and only once', async () => {
    const { where, clock, moves } = world('office');
    await looks();
    where.id = 'hotel';
    await looks();
    clock.now += 29_000;
    await looks();
    expect(moves()).toBe(0); // seen, not settled
    clock.now += 1_000;
    await looks();
    expect(moves()).toBe(1);
    expect(watch!.lastMoveAt()).toBe(clock.now);
    clock.now += 60_000;
    await looks();
    expect(moves()).toBe(1);
  });

  it('does not count a network that comes and goes before it settles (a roam, a VPN reconnecting)', async () => {
    const { where, clock, moves } = world('office');
    await looks();
    for (const id of ['vpn', 'office', 'vpn', 'office']) {
      where.id = id;
      await looks();
      clock.now += 20_000;
      await looks();
    }
    clock.now += 60_000;
    await looks();
    expect(moves()).toBe(0);
    expect(watch!.lastMoveAt()).toBeUndefined();
  });

  it('does not count going offline, nor coming back to the same network', async () => {
    const { where, clock, moves } = world('home');
    await looks();
    Object.assign(where, { id: 'offline', prefixCount: 0 });
    await looks();
    clock.now += 60_000;
    await looks();
    Object.assign(where, { id: 'home', prefixCount: 1 });
    clock.now += 60_000;
    await looks();
    expect(moves()).toBe(0);
  });
});
