/**
 * Many repositories in one command, as a new team member runs it on day one: every repository of
 * a project, a list, a team file; each from its own closest mirror (the mirrors hold different
 * projects); a failure among good ones; and a second run that transfers nothing for what is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';
import { runCliProcess } from '../support/cli';
import { gitConfig } from '../support/git';

let topology: Topology;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let env: NodeJS.ProcessEnv;

const platRepos = ['api', 'auth', 'billing', 'core', 'deploy', 'jobs'];
const repoSize = 300_000;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({
      primary: { delayMs: 15 },
      // The near mirror holds the platform project only, the other one the web project.
      mirrors: [{ name: 'near', delayMs: 1 }, { name: 'web-mirror', delayMs: 3 }],
      projects: [
        {
          key: 'PLAT',
          repos: [...platRepos.map((slug, index) => ({ slug, sizeBytes: repoSize, seed: index, mirroredOn: ['near'] })), { slug: 'legacy', archived: true, mirroredOn: ['near'] }],
        },
        { key: 'WEB', repos: [{ slug: 'site', mirroredOn: ['web-mirror'] }, { slug: 'api', mirroredOn: ['web-mirror'] }] },
      ],
    }),
    makeTempDir('cli-clone-many'),
  ]);
  env = { ...process.env, HOME: path.join(workspace.path, 'home'), MIRROR_CLONE_HOME: path.join(workspace.path, 'data'), MIRROR_CLONE_TOKEN: topology.credentials.token };
});

afterAll(async () => {
  await topology?.stop();
  await workspace?.cleanup();
});

const cli = (...args: string[]) => runCliProcess(args, { env, timeoutMs: 120_000 });
const primary = () => topology.primary.baseUrl;

interface BatchOutput {
  repositories: { repository: string; path: string; ok: boolean; alreadyThere: boolean; source: { name: string; kind: string } | null; error?: { code: string; message: string; hint?: string } }[];
  totals: { repositories: number; cloned: number; alreadyThere: number; failed: number; cancelled: number; receivedBytes: number; durationMs: number };
  concurrency: { jobs: number; reason: string };
}

describe('mirror-clone clone, many repositories', () => {
  it('clones every repository of a project from its closest mirror, archived ones left out, and prints the documented JSON', async () => {
    const into = path.join(workspace.path, 'project');
    const result = await cli('clone', '--project', 'PLAT', '--into', into, '--primary', primary(), '--json');
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as BatchOutput;
    expect(output.repositories.map((entry) => entry.repository).sort()).toEqual(platRepos.map((slug) => `PLAT/${slug}`));
    for (const entry of output.repositories) {
      const slug = entry.repository.split('/')[1]!;
      expect(entry).toEqual({ repository: `PLAT/${slug}`, path: path.join(into, slug), ok: true, alreadyThere: false, source: { name: 'near', kind: 'mirror' }, receivedBytes: expect.any(Number), durationMs: expect.any(Number) });
      expect(await gitConfig(entry.path, 'remote.origin.url')).toBe(topology.repo('PLAT', slug).mirrorHttpUrl('near'));
      expect(await gitConfig(entry.path, 'remote.origin.pushurl')).toBe(topology.repo('PLAT', slug).httpUrl);
    }
    expect(output.totals).toMatchObject({ repositories: 6, cloned: 6, alreadyThere: 0, failed: 0, cancelled: 0 });
    expect(output.totals.receivedBytes).toBeGreaterThan(platRepos.length * repoSize * 0.5);
    expect(output.concurrency.jobs).toBeGreaterThanOrEqual(1);
    expect(output.concurrency.reason).toMatch(/at once/);
    expect((await readdir(into)).sort()).toEqual(platRepos);
  });

  it('with --by-project and --include-archived, each project in its own folder, each repository from the mirror that holds it', async () => {
    const into = path.join(workspace.path, 'by-project');
    const result = await cli('clone', '--project', 'PLAT', '--project', 'WEB', '--include-archived', '--by-project', '--into', into, '--primary', primary(), '--json', '--jobs', '4');
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as BatchOutput;
    const sources = Object.fromEntries(output.repositories.map((entry) => [entry.repository, entry.source?.name]));
    expect(sources).toMatchObject({ 'PLAT/legacy': 'near', 'PLAT/api': 'near', 'WEB/site': 'web-mirror', 'WEB/api': 'web-mirror' });
    expect(output.repositories).toHaveLength(platRepos.length + 3);
    expect(output.concurrency).toEqual({ jobs: 4, reason: '4 at once, as asked' });
    expect(await gitConfig(path.join(into, 'WEB', 'api'), 'remote.origin.url')).toBe(topology.repo('WEB', 'api').mirrorHttpUrl('web-mirror'));
    expect(await gitConfig(path.join(into, 'PLAT', 'api'), 'remote.origin.url')).toBe(topology.repo('PLAT', 'api').mirrorHttpUrl('near'));
  });

  it('a repository that does not exist fails alone: the others are cloned, exit 1, and the summary names it with its hint', async () => {
    const into = path.join(workspace.path, 'list');
    const result = await cli('clone', 'PLAT/api', 'PLAT/removed', 'WEB/site', '--into', into, '--primary', primary());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✓ PLAT\/api → .*api from near \(mirror\)/m);
    expect(result.stdout).toMatch(/^✓ WEB\/site → .*site from web-mirror \(mirror\)/m);
    expect(result.stdout).toMatch(/^✗ PLAT\/removed: /m);
    expect(result.stdout).toMatch(/^3 repositories: 2 cloned, 1 failed in [\d.]+ s/m);
    expect(result.stderr).toMatch(/Failed:\n {2}PLAT\/removed \(.*removed\): .*does not exist.*\n {4}\S/);
    expect((await readdir(into)).sort()).toEqual(['api', 'site']);
  });

  it('a second run leaves finished clones alone (nothing crosses the link for them) and finishes what failed', async () => {
    const into = path.join(workspace.path, 'rerun');
    // The folder one clone would go to is taken: that clone fails, the others go on.
    await mkdir(path.join(into, 'billing'), { recursive: true });
    await writeFile(path.join(into, 'billing', 'notes.txt'), 'not a clone\n');
    const first = await cli('clone', '--project', 'PLAT', '--into', into, '--primary', primary(), '--json');
    expect(first.code).toBe(1);
    const firstOutput = JSON.parse(first.stdout) as BatchOutput;
    const failed = firstOutput.repositories.filter((entry) => !entry.ok);
    expect(failed).toEqual([expect.objectContaining({ repository: 'PLAT/billing', alreadyThere: false, error: expect.objectContaining({ code: 'CONFLICT', hint: expect.any(String) }) })]);
    expect(firstOutput.totals).toMatchObject({ cloned: 5, failed: 1 });

    await rm(path.join(into, 'billing'), { recursive: true });
    const near = topology.mirrors.near!.proxy;
    const before = near.bytesDownstream;
    const second = await cli('clone', '--project', 'PLAT', '--into', into, '--primary', primary(), '--json');
    const moved = near.bytesDownstream - before;
    expect(second.code, second.stderr).toBe(0);
    const output = JSON.parse(second.stdout) as BatchOutput;
    expect(output.repositories.filter((entry) => !entry.alreadyThere).map((entry) => entry.repository)).toEqual(['PLAT/billing']);
    expect(output.repositories.every((entry) => entry.ok)).toBe(true);
    expect(output.totals).toMatchObject({ repositories: 6, cloned: 1, alreadyThere: 5, failed: 0 });
    // One repository's pack crossed the mirror's link, not six.
    expect(moved).toBeGreaterThan(repoSize * 0.5);
    expect(moved).toBeLessThan(repoSize * 2);

    // Another data folder (another installation): the clones are recognised by their own git config.
    const third = await runCliProcess(['clone', '--project', 'PLAT', '--into', into, '--primary', primary()], { env: { ...env, MIRROR_CLONE_HOME: path.join(workspace.path, 'other-data') }, timeoutMs: 120_000 });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/^= PLAT\/billing: already at .*billing, left alone$/m);
    expect(third.stdout).toMatch(/^6 repositories: 0 cloned, 6 already there in /m);
  });

  it('reads a list file and a team file (whose primary must be connected or named)', async () => {
    const listFile = path.join(workspace.path, 'repos.txt');
    await writeFile(listFile, `# the web team\n${topology.primary.baseUrl}/projects/WEB/repos/site/browse\n\nWEB/api\n`);
    const fromList = await cli('clone', '--from', listFile, '--into', path.join(workspace.path, 'from-list'), '--primary', primary(), '--json');
    expect(fromList.code, fromList.stderr).toBe(0);
    expect((JSON.parse(fromList.stdout) as BatchOutput).repositories.map((entry) => entry.repository)).toEqual(['WEB/site', 'WEB/api']);

    const teamFile = path.join(workspace.path, 'team.json');
    await writeFile(teamFile, JSON.stringify({ mirrorCloneTeam: 1, primary: primary(), projects: ['WEB'], repositories: ['PLAT/core'], layout: 'by-project', protocol: 'https' }));
    const into = path.join(workspace.path, 'from-team');
    // A file may come from anyone: its primary gets the token only once connected or named here.
    const requestsBefore = topology.state.requestLog.length;
    const unknown = await cli('clone', '--from', teamFile, '--into', into, '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr)).toEqual({ error: { code: 'USAGE', message: `${teamFile} is for ${primary()}, which is not connected here.`, hint: expect.stringContaining(`--primary ${primary()}`) } });
    expect(topology.state.requestLog.length).toBe(requestsBefore);
    const fromTeam = await cli('clone', '--from', teamFile, '--into', into, '--json', '--primary', `${primary()}/`);
    expect(fromTeam.code, fromTeam.stderr).toBe(0);
    expect((JSON.parse(fromTeam.stdout) as BatchOutput).repositories.map((entry) => entry.path).sort()).toEqual([path.join(into, 'PLAT', 'core'), path.join(into, 'WEB', 'api'), path.join(into, 'WEB', 'site')]);
  });

  it('mistakes are said before anything is cloned, with exit 2', async () => {
    const into = path.join(workspace.path, 'mistakes');
    const unknownProject = await cli('clone', '--project', 'NOPE', '--into', into, '--primary', primary());
    expect(unknownProject.code).toBe(2);
    expect(unknownProject.stderr).toContain('Project NOPE does not exist');
    // api is in both projects: in one folder they would collide.
    const collision = await cli('clone', '--project', 'PLAT', '--project', 'WEB', '--into', into, '--primary', primary());
    expect(collision.code).toBe(2);
    expect(collision.stderr).toContain('--by-project');
    const badTeam = path.join(workspace.path, 'bad-team.json');
    await writeFile(badTeam, JSON.stringify({ mirrorCloneTeam: 1, primary: 'ftp://x', repositories: ['not a reference'] }));
    const team = await cli('clone', '--from', badTeam, '--into', into);
    expect(team.code).toBe(2);
    expect(team.stderr).toContain('primary: "ftp://x" is not an http(s) address');
    expect(team.stderr).toContain('"not a reference" is not a repository reference');
    expect(await readdir(workspace.path)).not.toContain('mistakes');
  });
});
