import { describe, expect, it } from 'vitest';
import { restoreWindowBounds } from '../../electron/main/window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1400 };
const defaults = { width: 1180, height: 760 };
const minimum = { width: 760, height: 480 };

describe('where the window opens', () => {
  it('opens centred on the primary screen the first time', () => {
    expect(restoreWindowBounds(undefined, [laptop, external], defaults, minimum)).toEqual({ bounds: { x: 130, y: 58, width: 1180, height: 760 }, maximized: false });
  });

  it('opens where it was left, maximized if it was', () => {
    const saved = { bounds: { x: 1800, y: 100, width: 1300, height: 900 }, maximized: true };
    expect(restoreWindowBounds(saved, [laptop, external], defaults, minimum)).toEqual({ bounds: saved.bounds, maximized: true });
  });

  it('comes back onto the laptop when the monitor it was on is gone', () => {
    const saved = { bounds: { x: 1800, y: 100, width: 1300, height: 900 }, maximized: false };
    expect(restoreWindowBounds(saved, [laptop], defaults, minimum).bounds).toEqual({ x: 130, y: 58, width: 1180, height: 760 });
  });

  it('does not count a window whose title bar is off every screen, even when a corner still shows', () => {
    const saved = { bounds: { x: 1400, y: -500, width: 800, height: 700 }, maximized: false };
    expect(restoreWindowBounds(saved, [laptop], defaults, minimum).bounds).toEqual({ x: 130, y: 58, width: 1180, height: 760 });
  });

  it('brings a size within the screen and above the minimum', () => {
    expect(restoreWindowBounds({ bounds: { x: 10, y: 10, width: 5000, height: 200 }, maximized: false }, [laptop], defaults, minimum).bounds).toEqual({ x: 10, y: 10, width: 1440, height: 480 });
  });

  it('ignores a saved state that is not one (hand-edited, from an older version)', () => {
    for (const saved of [null, 'big', { bounds: { x: 0, y: 0, width: 'wide', height: 5 }, maximized: false }, { bounds: { x: Number.NaN, y: 0, width: 900, height: 600 }, maximized: false }]) {
      expect(restoreWindowBounds(saved, [laptop], defaults, minimum).bounds).toEqual({ x: 130, y: 58, width: 1180, height: 760 });
    }
  });
});
