/**
 * Local mirrors hold private repositories, and loopback is open to every user of the machine and
 * to web pages in the user's browser: the local mirror server serves only git clients that
 * present this installation's secret, addressed to it by its own name, without an Origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { launchChromium } from '../support/browser';
import { runCliProcess } from '../support/cli';
import { git } from '../support/git';
import type { CloneJob } from '../../shared/contract';
import { serveCredentialConfig } from '../../electron/helper/cache/serve-access';
import { secretFile } from '../../electron/helper/cache/serve-secret';
import { readFile } from 'node:fs/promises';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
/** Where another user of the machine works (the workspace, like the data folder, is closed to it). */
let otherUserFolder: Awaited<ReturnType<typeof makeTempDir>>;
let served: { port: number; mirrors: Array<{ url: string }>; credentialHelper: string };
let primaryHead: string;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'secret-plans', sizeBytes: 300_000, seed: 16 }] }] }),
    makeTempDir('serve-access'),
  ]);
  otherUserFolder = await makeTempDir('other-user');
  await chmod(otherUserFolder.path, 0o777);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
  await helper.client.call('cache.add', { repository: 'PROJ/secret-plans', primary: topology.primary.baseUrl });
  served = await helper.client.call('cache.serve', {});
  primaryHead = await git(topology.repo('PROJ', 'secret-plans').diskPath, 'rev-parse', 'refs/heads/main');
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
  await otherUserFolder?.cleanup();
});

/** One request with exactly these headers (fetch would not let a test set Host). */
function get(pathname: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: served.port, path: pathname, headers, setHost: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function secretHeader(): Promise<string> {
  const secret = (await readFile(secretFile(helper.dataDir), 'utf8')).trim();
  return `Basic ${Buffer.from(`anyone:${secret}`).toString('base64')}`;
}

const refsPath = '/proj/secret-plans.git/info/refs?service=git-upload-pack';
const ownHost = () => `127.0.0.1:${served.port}`;

describe('the local mirror server', () => {
  it('refuses an anonymous client, and one with a wrong secret, and says how to authenticate', async () => {
    const anonymous = await get(refsPath, { Host: ownHost() });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(anonymous.body).toContain('mirror-clone local-mirrors serve');
    expect(anonymous.body).not.toContain('refs/heads/main');
    const wrong = await get(refsPath, { Host: ownHost(), Authorization: `Basic ${Buffer.from('mirror-clone:not-the-secret').toString('base64')}` });
    expect(wrong.status).toBe(401);

    const target = path.join(workspace.path, 'anonymous');
    const clone = await git(workspace.path, 'clone', '-q', served.mirrors[0]!.url, target).then(() => 'cloned', (error: Error) => error.message);
    expect(clone).toMatch(/could not read Username|Authentication failed/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a foreign Host (DNS rebinding) and any request with an Origin, even with the secret', async () => {
    const authorization = await secretHeader();
    expect((await get(refsPath, { Host: ownHost(), Authorization: authorization })).status).toBe(200);
    expect((await get(refsPath, { Host: `localhost:${served.port}`, Authorization: authorization })).status).toBe(200);
    for (const host of [`rebind.example:${served.port}`, '127.0.0.1', `127.0.0.1:${served.port + 1}`, `[::1]:${served.port}`]) {
      const answer = await get(refsPath, { Host: host, Authorization: authorization });
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain('refs/heads/main');
    }
    for (const origin of [`http://rebind.example:${served.port}`, `http://127.0.0.1:${served.port}`, 'null']) {
      const answer = await get(refsPath, { Host: ownHost(), Authorization: authorization, Origin: origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.body).not.toContain('refs/heads/main');
    }
  });

  it('a web page cannot read it by DNS rebinding, even in a browser that holds the secret', async () => {
    const browser = await launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1']);
    try {
      const secret = (await readFile(secretFile(helper.dataDir), 'utf8')).trim();
      const context = await browser.browser.newContext({ httpCredentials: { username: 'mirror-clone', password: secret } });
      const page = await context.newPage();
      // The attacker's name resolves to 127.0.0.1 now: to the browser the page and the server are one origin.
      const navigation = await page.goto(`http://rebind.test:${served.port}/`);
      const read = await page.evaluate(async (url) => {
        const response = await fetch(url);
        return `${response.status}${(await response.text()).includes('refs/heads/main') ? ' with the refs' : ''}`;
      }, refsPath);
      expect(read).toBe('403');
      expect(navigation!.status()).toBe(403);
    } finally {
      await browser.close();
    }
  });

  it('refuses another user of this machine, who cannot read the secret either', async () => {
    const file = secretFile(helper.dataDir);
    // Without a keychain (this test process has none) the secret is in a file only its owner reads.
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    if (process.getuid?.() !== 0) return; // dropping to another user needs root; the checks above still hold
    const otherHome = otherUserFolder.path;
    const asNobody = (command: string, args: string[]) =>
      run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', command, ...args], { cwd: otherHome, env: { ...process.env, HOME: otherHome, GIT_TERMINAL_PROMPT: '0' } }).then(
        () => 'succeeded',
        (error: Error & { stderr?: string }) => error.stderr ?? error.message,
      );
    // Even following what `cache serve` prints, with our credential helper, as that user:
    const authenticated = serveCredentialConfig(served.port, served.credentialHelper).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    const clone = await asNobody('git', [...authenticated, 'clone', '-q', served.mirrors[0]!.url, 'stolen']);
    expect(clone).toMatch(/could not read Username|Authentication failed/);
    expect(existsSync(path.join(otherHome, 'stolen', '.git', 'HEAD'))).toBe(false);
    expect(await asNobody('git', ['clone', '-q', served.mirrors[0]!.url, 'stolen-anonymously'])).toMatch(/could not read Username|Authentication failed/);
    expect(await asNobody('cat', [file])).toMatch(/Permission denied/);
  });

  it("serves our own clones, which borrow the local mirror's objects", async () => {
    const parent = path.join(workspace.path, 'own-clone');
    await mkdir(parent);
    const finished = new Map<string, CloneJob>();
    const off = helper.client.on('clone.state', ({ job }) => job.finishedAt && finished.set(job.jobId, job));
    const { jobId } = await helper.client.call('clone.start', { repository: 'PROJ/secret-plans', parentDirectory: parent, primary: topology.primary.baseUrl });
    while (!finished.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 20));
    off();
    const job = finished.get(jobId)!;
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.reason).toContain('local mirror');
    expect(await git(job.result!.path, 'rev-parse', 'HEAD')).toBe(primaryHead);
  });

  it('says so when the port asked for is taken', async () => {
    const result = await runCliProcess(['cache', 'serve', '--port', String(served.port)], { env: { ...process.env, MIRROR_CLONE_HOME: helper.dataDir } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`Port ${served.port} on 127.0.0.1 is already in use.`);
    expect(result.stderr).toContain('--port');
  });

  it('serves the git clone that `cache serve` tells a user to run, and only while it runs', async () => {
    const env = { ...process.env, MIRROR_CLONE_HOME: helper.dataDir, GIT_TERMINAL_PROMPT: '0' };
    const cli = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/cli/main.ts'), 'local-mirrors', 'serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const printed: string[] = [];
      const lines = createInterface({ input: cli.stdout! });
      for await (const line of lines) {
        printed.push(line);
        if (line.startsWith('  git config')) break;
      }
      const output = printed.join('\n');
      const port = Number(/read-only on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      expect(output).toContain(`  http://127.0.0.1:${port}/proj/secret-plans.git`);
      expect(output).toContain(`credential helper answers for http://127.0.0.1:${port}`);
      const command = printed[printed.indexOf('Clone with:') + 1]!.trim();
      expect(command).toMatch(/^git -c .* clone http:\/\/127\.0\.0\.1:\d+\/proj\/secret-plans\.git$/);
      expect(command).not.toContain(await readFile(secretFile(helper.dataDir), 'utf8').then((text) => text.trim()));

      const userFolder = path.join(workspace.path, 'user');
      await mkdir(userFolder);
      await run('sh', ['-c', command], { cwd: userFolder, env });
      const clone = path.join(userFolder, 'secret-plans');
      expect(await git(clone, 'rev-parse', 'HEAD')).toBe(primaryHead);
      // The secret reached git through the helper only: nothing of it in the clone's config.
      expect(await readFile(path.join(clone, '.git', 'config'), 'utf8')).not.toMatch(/mirror-clone:|password|@127/);

      // Our credential helper answers for that origin alone: not for localhost, not another port.
      const helperCommand = served.credentialHelper.slice(1);
      const ask = (host: string) => run('sh', ['-c', `printf 'protocol=http\\nhost=${host}\\n\\n' | ${helperCommand} get`], { env: process.env }).then(({ stdout }) => stdout);
      expect(await ask(`127.0.0.1:${port}`)).toMatch(/^username=mirror-clone\npassword=\S+\n$/);
      expect(await ask(`localhost:${port}`)).toBe('');
      const unserved = [port + 1, port + 2].find((candidate) => candidate !== served.port && candidate <= 65535) ?? 1;
      expect(await ask(`127.0.0.1:${unserved}`)).toBe('');

      const exited = once(cli, 'exit');
      process.kill(cli.pid!, 'SIGINT');
      await exited;
      // A stopped server's port may be anyone's now: the helper no longer answers for it.
      expect(await ask(`127.0.0.1:${port}`)).toBe('');
    } finally {
      if (cli.exitCode === null && cli.signalCode === null) process.kill(cli.pid!, 'SIGKILL');
    }
  });
});
