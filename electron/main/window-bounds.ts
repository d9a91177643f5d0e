/**
 * Where the window opens: where the user left it, unless that place is no longer on any screen
 * (a monitor unplugged, a laptop undocked), in which case it opens at its default size centred
 * on the primary screen. Pure, so the rules are tested without Electron.
 */
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Rectangle;
  maximized: boolean;
}

/** How much of the title bar must be on a screen for the window to count as reachable. */
const minVisible = { width: 120, height: 40 };

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

export function isSavedWindowState(value: unknown): value is SavedWindowState {
  if (typeof value !== 'object' || value === null) return false;
  const { bounds, maximized } = value as Partial<SavedWindowState>;
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  return typeof maximized === 'boolean' && typeof bounds === 'object' && bounds !== null && finite(bounds.x) && finite(bounds.y) && finite(bounds.width) && finite(bounds.height);
}

/**
 * `workAreas`: each display's work area, the primary first. `minimum` is the window's minimum
 * size; a saved size below it (or larger than the screen) is brought within.
 */
export function restoreWindowBounds(saved: unknown, workAreas: readonly Rectangle[], defaults: { width: number; height: number }, minimum: { width: number; height: number }): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  const primary = workAreas[0];
  const centred = primary
    ? { width: Math.min(defaults.width, primary.width), height: Math.min(defaults.height, primary.height), x: Math.round(primary.x + (primary.width - Math.min(defaults.width, primary.width)) / 2), y: Math.round(primary.y + (primary.height - Math.min(defaults.height, primary.height)) / 2) }
    : { ...defaults };
  if (!isSavedWindowState(saved)) return { bounds: centred, maximized: false };
  // The title bar strip: what the user needs to grab the window.
  const titleBar = { x: saved.bounds.x, y: saved.bounds.y, width: saved.bounds.width, height: minVisible.height };
  const host = workAreas.find((area) => {
    const seen = overlap(titleBar, area);
    return seen.width >= minVisible.width && seen.height >= minVisible.height;
  });
  if (!host) return { bounds: centred, maximized: saved.maximized };
  const width = Math.min(Math.max(saved.bounds.width, minimum.width), host.width);
  const height = Math.min(Math.max(saved.bounds.height, minimum.height), host.height);
  return { bounds: { x: Math.round(saved.bounds.x), y: Math.round(saved.bounds.y), width: Math.round(width), height: Math.round(height) }, maximized: saved.maximized };
}
