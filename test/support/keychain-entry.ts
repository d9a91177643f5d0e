/**
 * Reads one entry of a test keychain from outside the helper: a separate Node process using
 * keytar with the keychain's environment, so a test sees what the OS keychain really holds.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const reader = `
const keytar = require('keytar');
keytar.getPassword(process.argv[1], process.argv[2]).then(
  (secret) => process.stdout.write(JSON.stringify({ found: secret !== null })),
  (error) => { process.stderr.write(String(error)); process.exit(1); },
);`;

/** Whether the keychain holds a secret for this account (the secret itself never leaves the child). */
export async function keychainHasEntry(env: NodeJS.ProcessEnv, account: string, service = 'mirror-clone'): Promise<boolean> {
  const { stdout } = await run(process.execPath, ['-e', reader, service, account], { cwd: repoRoot, env });
  return (JSON.parse(stdout) as { found: boolean }).found;
}

/** The keychain account a connected primary's credentials are kept under. */
export const primaryAccount = (baseUrl: string) => `primary:${baseUrl}`;
