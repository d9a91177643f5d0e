/** What the OS says about a process group, read with `ps` rather than from the code under test. */
import { execFileSync } from 'node:child_process';

/** Live members of a process group (zombies excluded: they have exited and hold nothing). */
export function liveInGroup(pgid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, group, stat]) => pid && Number(group) === pgid && !stat!.startsWith('Z'))
    .map(([pid]) => Number(pid));
}
