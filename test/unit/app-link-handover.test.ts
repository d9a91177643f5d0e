/**
 * Links from the OS reach the page as they came, in order, whether they came before the page
 * listened (a first start, macOS's early open-url) or after (a second start's command line).
 */
import { describe, expect, it } from 'vitest';
import { createAppLinkHandover, linkInArgv } from '../../electron/main/app-link-handover';

describe('handing mirror-clone links from the OS to the page', () => {
  it('finds the link in a command line, and nothing in one without', () => {
    expect(linkInArgv(['/opt/mirror-clone/mirror-clone', '--no-sandbox', 'mirror-clone://clone?url=https%3A%2F%2Fa.example%2Fscm%2Fp%2Fr.git'])).toBe(
      'mirror-clone://clone?url=https%3A%2F%2Fa.example%2Fscm%2Fp%2Fr.git',
    );
    expect(linkInArgv(['C:\\mirror-clone.exe', 'MIRROR-CLONE://team?url=x'])).toBe('MIRROR-CLONE://team?url=x');
    expect(linkInArgv(['/usr/bin/mirror-clone', '--inspect', 'https://a.example/scm/p/r.git'])).toBeUndefined();
  });

  it('keeps links until the page listens, then passes them on in order, and later ones at once', () => {
    const delivered: string[] = [];
    const handover = createAppLinkHandover((raw) => delivered.push(raw));
    handover.receive('mirror-clone://first');
    handover.receive(undefined);
    handover.receive('mirror-clone://second');
    expect(delivered).toEqual([]);
    handover.pageListening();
    expect(delivered).toEqual(['mirror-clone://first', 'mirror-clone://second']);
    handover.receive('mirror-clone://third');
    expect(delivered).toEqual(['mirror-clone://first', 'mirror-clone://second', 'mirror-clone://third']);
  });

  it('keeps links again while the page reloads, and never passes one on twice', () => {
    const delivered: string[] = [];
    const handover = createAppLinkHandover((raw) => delivered.push(raw));
    handover.pageListening();
    handover.receive('mirror-clone://before-reload');
    handover.pageLeft();
    handover.receive('mirror-clone://during-reload');
    handover.pageListening();
    expect(delivered).toEqual(['mirror-clone://before-reload', 'mirror-clone://during-reload']);
  });

  it('keeps at most ten for a page that never listens', () => {
    const delivered: string[] = [];
    const handover = createAppLinkHandover((raw) => delivered.push(raw));
    for (let index = 0; index < 50; index += 1) handover.receive(`mirror-clone://link-${index}`);
    handover.pageListening();
    expect(delivered).toHaveLength(10);
    expect(delivered[0]).toBe('mirror-clone://link-0');
  });
});
