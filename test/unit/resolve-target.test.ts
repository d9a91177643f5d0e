// Which primary PROJECT/repo is looked up on: the one named, the only one connected, or a clear
// mistake with advice for the app and for a terminal. A real store in a temp folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../electron/helper/discovery/resolve-target';
import { createPrimariesStore, type PrimariesStore } from '../../electron/helper/store/primaries-store';
import { ContractError } from '../../shared/contract';
import { makeTempDir } from '../support/temp-dir';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let store: PrimariesStore;

beforeEach(async () => {
  temp = await makeTempDir('resolve-target');
  store = createPrimariesStore(temp.path);
});
afterEach(() => temp.cleanup());

const connect = (baseUrl: string) => store.put({ baseUrl, name: baseUrl, authKind: 'token', addedAt: new Date(0).toISOString(), manualMirrors: [], knownMirrors: [] });

function failure(run: () => unknown): ContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('resolveTarget', () => {
  it('takes the named primary with nothing connected, as named (so a CI token applies to it)', () => {
    expect(resolveTarget('PLAT/monorepo', 'https://bitbucket.example.com/', store)).toMatchObject({ baseUrl: 'https://bitbucket.example.com', projectKey: 'PLAT', slug: 'monorepo', named: true });
  });

  it('takes the only connected primary when none is named', () => {
    connect('https://bitbucket.example.com');
    expect(resolveTarget('PLAT/monorepo', undefined, store)).toMatchObject({ baseUrl: 'https://bitbucket.example.com', named: false });
  });

  it('with none connected and none named: a caller mistake, with advice for each surface', () => {
    const error = failure(() => resolveTarget('PLAT/monorepo', undefined, store));
    expect(error.message).toContain('No primary is connected');
    expect(error.details).toEqual({ usage: true });
    expect(error.terminalHint).toContain('--primary URL');
    expect(error.terminalHint).not.toMatch(/paste|click/i);
    expect(error.hint).not.toContain('--primary');
  });

  it('with several connected: names none of them, says how to choose', () => {
    connect('https://one.example.com');
    connect('https://two.example.com');
    const error = failure(() => resolveTarget('PLAT/monorepo', undefined, store));
    expect(error).toMatchObject({ code: 'INVALID_PARAMS', details: { usage: true } });
    expect(error.terminalHint).toContain('MIRROR_CLONE_PRIMARY');
    expect(error.toData()).toMatchObject({ terminalHint: error.terminalHint });
    expect(ContractError.fromData(error.toData()).terminalHint).toBe(error.terminalHint);
  });

  it('a reference that is not one: the app says paste, the terminal says pass', () => {
    const error = failure(() => resolveTarget('not a reference', undefined, store));
    expect(error.hint).toMatch(/^Paste/);
    expect(error.terminalHint).toMatch(/^Pass a clone URL/);
  });
});
