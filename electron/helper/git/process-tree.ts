/**
 * Ending a git process and everything it started. `git clone` over HTTP runs git-remote-http,
 * fetch-pack and index-pack (over SSH also ssh); killing only the git we spawned would leave them
 * writing into a directory the caller is about to delete.
 *
 * POSIX: the runner spawns git detached, i.e. in a new session whose process group id is git's
 * pid, and every descendant inherits that group. We signal the whole group: SIGTERM first (git
 * then removes its half-made clone itself), SIGKILL to whatever is still alive after a grace
 * period. We are done when no live process is left in the group. On Linux we read that from
 * /proc, skipping zombies: an orphaned child whose parent died first is reparented to PID 1, and
 * not every PID 1 (container or micro-VM inits) reaps, so a zombie may linger forever although it
 * can no longer touch a file. Elsewhere kill(-pgid, 0) tells whether any member is left.
 *
 * Windows has no process groups to signal and console programs ignore a polite close, so
 * `taskkill /pid N /T /F` ends the tree at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface StopTreeOptions {
  /** How long git gets to clean up after SIGTERM before the group is SIGKILLed. Default 2000 ms. */
  graceMs?: number;
  /** After SIGKILL, how long to wait for the group to be empty before giving up. Default 3000 ms. */
  killWaitMs?: number;
  platform?: NodeJS.Platform;
}

const pollMs = 15;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // ESRCH: nobody left in the group. EPERM cannot happen for our own children.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Live (not zombie) processes whose process group is `pgid`, from /proc. Linux only. */
export async function liveGroupMembersLinux(pgid: number): Promise<number[]> {
  const names = await readdir('/proc').catch(() => [] as string[]);
  const members: number[] = [];
  await Promise.all(
    names.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [state, , pgrp] = fields;
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(name));
    }),
  );
  return members;
}

async function groupIsEmpty(pgid: number, platform: NodeJS.Platform): Promise<boolean> {
  if (platform === 'linux') return (await liveGroupMembersLinux(pgid)).length === 0;
  return !signalGroup(pgid, 0);
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.once('error', () => resolve());
    killer.once('exit', () => resolve());
  });
}

/**
 * Ends `child` (spawned detached on POSIX) and all its descendants. Resolves once the child has
 * exited and, on POSIX, no live process is left in its group; returns false if something was
 * still alive when we gave up (it has been sent SIGKILL; nothing more can be done).
 */
export async function stopProcessTree(child: ChildProcess, options: StopTreeOptions = {}): Promise<boolean> {
  const platform = options.platform ?? process.platform;
  const graceMs = options.graceMs ?? 2_000;
  const killWaitMs = options.killWaitMs ?? 3_000;
  const pid = child.pid;
  if (pid === undefined) return true; // never started

  if (platform === 'win32') {
    if (!hasExited(child)) await taskkill(pid);
    return waitUntil(async () => hasExited(child), killWaitMs);
  }

  signalGroup(pid, 'SIGTERM');
  const done = async () => hasExited(child) && (await groupIsEmpty(pid, platform));
  if (await waitUntil(done, graceMs)) return true;
  signalGroup(pid, 'SIGKILL');
  return waitUntil(done, killWaitMs);
}
