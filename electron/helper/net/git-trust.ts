/**
 * git's own HTTPS (curl) must trust the same extra CA as the helper does. curl's CA setting
 * replaces its bundle rather than adding to it, so git is given one file with Node's default
 * authorities, any bundle the user already pointed git at (GIT_SSL_CAINFO), and the extra ones.
 * It reaches git as GIT_SSL_CAINFO, which wins over config (so an inherited GIT_SSL_CAINFO
 * cannot hide the extra CA). Without an extra CA nothing is set and git keeps its own defaults.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import type { ExtraCa } from './trust';

export interface GitTrust {
  /** For the git process's environment. */
  env: Record<string, string>;
  /** The bundle file, to configure in a clone for later fetches; undefined without an extra CA. */
  bundle?: string;
}

export async function gitTrust(extra: ExtraCa | undefined, dataDir: string, environment: NodeJS.ProcessEnv = process.env): Promise<GitTrust> {
  const pems = (Array.isArray(extra) ? extra : [extra]).map((pem) => (pem === undefined ? '' : pem.toString('utf8').trim())).filter(Boolean);
  if (pems.length === 0) return { env: {} };
  const inherited = environment.GIT_SSL_CAINFO ? await readFile(environment.GIT_SSL_CAINFO, 'utf8').catch(() => '') : '';
  const bundle = path.join(dataDir, 'git-trusted-authorities.pem');
  const contents = `${[...tls.rootCertificates, inherited.trim(), ...pems].filter(Boolean).join('\n')}\n`;
  if ((await readFile(bundle, 'utf8').catch(() => '')) !== contents) {
    // Two clones starting at once may both write it: each through a file of its own.
    const temporary = `${bundle}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, contents, { mode: 0o600 }); // in the private data folder
    await rename(temporary, bundle);
  }
  return { env: { GIT_SSL_CAINFO: bundle }, bundle };
}
