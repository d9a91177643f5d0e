import { describe, expect, it } from 'vitest';
import type { HelperClient } from '../../shared/contract';
import { createBrowseSlice, type BrowseSlice } from '../../renderer/src/state/browse-slice';
import { createCloneBatchesSlice } from '../../renderer/src/state/clone-batches-slice';
import { createKeysSlice, type KeyCheck } from '../../renderer/src/state/keys-slice';
import { createSetupSlice } from '../../renderer/src/state/setup-slice';
import { batchItem, cloneBatch } from '../support/clone-batch';

const primary = 'https://bitbucket.example.com';

function keyCheck(repository: string, servers: string[]): KeyCheck {
  return {
    primaryBaseUrl: primary,
    repository,
    knownHostsFile: '/home/ana/.ssh/known_hosts',
    inventory: { folder: '/home/ana/.ssh', agent: { running: false }, keys: [] },
    servers: servers.map((name) => ({ id: name, name, kind: name === 'primary' ? ('primary' as const) : ('mirror' as const), host: name, port: 7999, user: 'git', results: [], checkedAt: '2026-12-05T08:00:00Z', durationMs: 1 })),
    uploaded: {},
    warnings: [],
    durationMs: 1,
  } as KeyCheck;
}

/** Answers what the path asks of the helper, recording every call in order. */
function recordingClient() {
  const calls: [string, Record<string, unknown>][] = [];
  const mirrorsOf: Record<string, string[]> = { CORE: ['near'], LIBS: ['strict'] };
  let batches = 0;
  const client = {
    connectionState: 'disconnected',
    call: (method: string, params: Record<string, unknown>) => {
      calls.push([method, params]);
      if (method === 'repositories.list') return Promise.resolve({ values: [{ projectKey: params.projectKey, slug: 'first' }], nextStart: null });
      if (method === 'keys.check') return Promise.resolve(keyCheck(params.repository as string, ['primary', ...(mirrorsOf[(params.repository as string).split('/')[0]!] ?? [])]));
      if (method === 'clone.batchStart') {
        batches += 1;
        return Promise.resolve(cloneBatch(((params.repositories as string[]) ?? []).map((name) => batchItem(name, 'waiting')), { batchId: `b${batches}` }));
      }
      return Promise.resolve({});
    },
    on: () => () => undefined,
    onConnectionChange: () => () => undefined,
  } as unknown as HelperClient;
  return { client, calls };
}

function world() {
  const { client, calls } = recordingClient();
  const browse = createBrowseSlice(client);
  const keys = createKeysSlice(client);
  const cloneBatches = createCloneBatchesSlice(client);
  const setup = createSetupSlice(client, { browse, keys, cloneBatches });
  const check = (...references: string[]) =>
    browse.setState({ checked: Object.fromEntries(references.map((reference) => [reference, { projectKey: reference.split('/')[0], slug: reference.split('/')[1] }])) as BrowseSlice['checked'] });
  return { calls, browse, keys, cloneBatches, setup, check };
}

describe('the set-up path', () => {
  it('starts at step 2 when a primary is connected, at step 1 otherwise, and only the first time', () => {
    const connected = world().setup;
    connected.getState().begin(true);
    expect(connected.getState().step).toBe('choose');
    connected.getState().show('connect');
    connected.getState().begin(true);
    expect(connected.getState().step).toBe('connect');
    const empty = world().setup;
    empty.getState().begin(false);
    expect(empty.getState().step).toBe('connect');
  });

  it('checks the keys on the servers of each chosen project once, a whole project by its first repository, and tells the keys page', async () => {
    const { calls, keys, setup, check } = world();
    setup.getState().setPrimary(primary);
    check('CORE/api', 'CORE/web');
    setup.getState().toggleProject('LIBS');
    await setup.getState().checkKeys();
    expect(calls).toEqual([
      ['repositories.list', { primary, projectKey: 'LIBS', limit: 1 }],
      ['keys.check', { repository: 'CORE/api', primary }],
      ['keys.check', { repository: 'LIBS/first', primary }],
    ]);
    const state = setup.getState().keyCheck;
    expect(state?.state === 'done' && state.result.servers.map((server) => server.name)).toEqual(['primary', 'near', 'strict']);
    expect(keys.getState().check).toMatchObject({ state: 'done', primary, result: { servers: [{ name: 'primary' }, { name: 'near' }, { name: 'strict' }] } });
    // Changing the choice makes the check stale: the step asks again.
    setup.getState().toggleProject('LIBS');
    expect(setup.getState().keyCheck).toBeUndefined();
  });

  it('starts nothing before go, then one batch as chosen; a retry joins the summary; a new round starts afresh', async () => {
    const { calls, browse, cloneBatches, setup, check } = world();
    setup.getState().setPrimary(primary);
    check('CORE/api');
    setup.getState().toggleProject('LIBS');
    setup.getState().setProtocol('ssh');
    setup.getState().setLayout('by-project');
    expect(calls.filter(([method]) => method === 'clone.batchStart')).toEqual([]);
    expect(await setup.getState().go('/home/ana/src')).toBe(true);
    expect(calls.filter(([method]) => method === 'clone.batchStart').map(([, params]) => params)).toEqual([
      { primary, projects: ['LIBS'], repositories: ['CORE/api'], parentDirectory: '/home/ana/src', layout: 'by-project', protocol: 'ssh' },
    ]);
    expect(setup.getState()).toMatchObject({ step: 'summary', batchIds: ['b1'], starting: false });

    cloneBatches.setState({ batches: { b1: cloneBatch([batchItem('CORE/api', 'failed')], { batchId: 'b1', state: 'done', finishedAt: '2026-12-05T08:01:00Z' }) } });
    await setup.getState().retryFailed();
    expect(setup.getState().batchIds).toEqual(['b1', 'b2']);

    setup.getState().restart();
    expect(setup.getState()).toMatchObject({ step: 'choose', primary, projects: [], batchIds: [], protocol: undefined, layout: 'flat' });
    expect(browse.getState().checked).toEqual({});
  });

  it('takes a team file as the whole choice, with its layout and protocol', async () => {
    const { calls, setup, check } = world();
    setup.getState().setPrimary(primary);
    check('CORE/api');
    setup.getState().chooseTeamFile({ name: 'team.json', team: { mirrorCloneTeam: 1, primary, projects: ['LIBS'], repositories: ['CORE/docs'], layout: 'by-project', protocol: 'https' } });
    expect(setup.getState()).toMatchObject({ layout: 'by-project', protocol: 'http' });
    expect(setup.getState().chosenRepositories()).toEqual(['CORE/docs']);
    await setup.getState().go('/src');
    expect(calls.at(-1)).toEqual(['clone.batchStart', { primary, projects: ['LIBS'], repositories: ['CORE/docs'], parentDirectory: '/src', layout: 'by-project', protocol: 'http' }]);
  });
});
