// The three building blocks together, the way the topology uses them: a generated
// repository, served by sshd, reached through a shaping proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSshd, type SshdInstance } from '../fixtures/ssh/sshd';
import { generateKeyPair, type KeyPair } from '../fixtures/ssh/keys';
import { startShapingProxy, type ShapingProxy } from '../fixtures/net/shaping-proxy';
import { generateRepository, type GeneratedRepo } from '../fixtures/repogen/generate';

let tmp: string;
let sshd: SshdInstance;
let proxy: ShapingProxy;
let key: KeyPair;
let repo: GeneratedRepo;
let knownHosts: string;

function cloneThroughProxy(target: string): Promise<{ code: number; stderr: string }> {
  const ssh = `ssh -F /dev/null -i ${key.privateKeyPath} -o IdentitiesOnly=yes -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  const url = `ssh://${sshd.user}@127.0.0.1:${proxy.port}/bench/big.git`;
  return new Promise((resolve) => {
    execFile('git', ['clone', '-q', '--bare', url, target], { env: { ...process.env, GIT_SSH_COMMAND: ssh } }, (error, _out, stderr) =>
      resolve({ code: error ? 1 : 0, stderr }),
    );
  });
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sshd-proxy-test-'));
  const repoRoot = path.join(tmp, 'repos');
  repo = await generateRepository({ path: path.join(repoRoot, 'bench', 'big.git'), targetBytes: 3_000_000, seed: 'through-proxy' });
  sshd = await startSshd({ workDir: path.join(tmp, 'sshd'), repoRoot, writable: false });
  key = await generateKeyPair(path.join(tmp, 'id_ecdsa'), 'ecdsa');
  await sshd.writeAuthorizedKeys([key.publicKeyLine]);
  proxy = await startShapingProxy({ targetPort: sshd.port, shape: { delayMs: 20 } });
  knownHosts = path.join(tmp, 'known_hosts');
  // The client sees the proxy's port, so that is the address its known_hosts must name.
  await fs.writeFile(knownHosts, `${sshd.knownHostsLineFor(proxy.port)}\n`);
});

afterAll(async () => {
  await proxy?.stop();
  await sshd?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('git over ssh through a shaped link', () => {
  it('clones a generated repository through the proxy', async () => {
    const target = path.join(tmp, 'clone-ok.git');
    const before = proxy.bytesDownstream;
    const result = await cloneThroughProxy(target);
    expect(result.code, result.stderr + sshd.recentLog()).toBe(0);
    const head = await new Promise<string>((resolve) =>
      execFile('git', ['--git-dir', target, 'rev-parse', 'main'], (_e, out) => resolve(out.trim())),
    );
    expect(head).toBe(repo.head);
    // The whole pack went through the proxy.
    expect(proxy.bytesDownstream - before).toBeGreaterThan(repo.packBytes);
  });

  it('a cut after 1 MB kills the clone mid-transfer; lifting the fault lets the next one through', async () => {
    proxy.setFault({ kind: 'cut-after-bytes', bytes: 1_000_000 });
    const cut = await cloneThroughProxy(path.join(tmp, 'clone-cut.git'));
    expect(cut.code).not.toBe(0);
    await expect(fs.stat(path.join(tmp, 'clone-cut.git'))).rejects.toThrow(/ENOENT/);
    proxy.setFault({ kind: 'none' });
    expect((await cloneThroughProxy(path.join(tmp, 'clone-after.git'))).code).toBe(0);
  });
});
