/**
 * The activity history: entries from clone jobs, switches and syncs as a person reads them
 * (repository by name, the failure's message and hint without its details), newest first,
 * announced as they are added, kept in the data folder and capped to the newest entries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntry, CloneJob, LocalMirror } from '../../shared/contract';
import { ContractError } from '../../shared/contract';
import { createActivityLog } from '../../electron/helper/activity/log';
import { createActivityStore } from '../../electron/helper/store/activity-store';
import { makeTempDir } from '../support/temp-dir';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('activity-log');
});
afterEach(() => dir.cleanup());

const source = { id: 'near', name: 'near', kind: 'mirror' as const, url: 'http://near/scm/proj/app.git' };
const job = (patch: Partial<CloneJob>): CloneJob => ({ jobId: 'j1', repository: 'https://bb.example.com/scm/proj/app.git', state: 'done', attempts: [], startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:00:05.000Z', ...patch });

describe('the activity log', () => {
  it('records a clone by its repository, with where it came from, and a failure with its reason but not its details', () => {
    const added: ActivityEntry[] = [];
    const log = createActivityLog({ store: createActivityStore(dir.path), emit: (event, payload) => event === 'activity.added' && added.push((payload as { entry: ActivityEntry }).entry) });
    const target = { primaryBaseUrl: 'https://bb.example.com', projectKey: 'PROJ', slug: 'app' };
    log.cloneEnded(job({ target, source, result: { path: '/src/app', source, fetchUrl: source.url, pushUrl: 'x', engine: 'native', durationMs: 1200, toppedUpFromPrimary: [], reason: 'near: closest' } }));
    log.cloneEnded(job({ jobId: 'j2', state: 'failed', target, destination: '/src/app', error: { code: 'CONFLICT', message: '/src/app already exists and is not empty.', hint: 'Choose another folder.', details: { big: 'x'.repeat(1000) } } }));
    log.cloneEnded(job({ jobId: 'j3', state: 'cloning', finishedAt: undefined }));
    const entries = log.list();
    expect(entries.map((entry) => [entry.kind, entry.outcome, entry.repository, entry.path])).toEqual([
      ['clone', 'failed', 'PROJ/app', '/src/app'],
      ['clone', 'done', 'PROJ/app', '/src/app'],
    ]);
    expect(entries[1]).toMatchObject({ detail: 'from near (mirror)', durationMs: 1200, at: '2026-01-01T10:00:05.000Z', primaryBaseUrl: 'https://bb.example.com' });
    expect(entries[0]!.error).toEqual({ code: 'CONFLICT', message: '/src/app already exists and is not empty.', hint: 'Choose another folder.' });
    expect(added.map((entry) => entry.id)).toEqual(entries.map((entry) => entry.id).reverse());
    // Before the primary named it, the entry says what was asked for.
    log.cloneEnded(job({ jobId: 'j4', state: 'cancelled' }));
    expect(log.list(1)[0]).toMatchObject({ outcome: 'cancelled', repository: 'https://bb.example.com/scm/proj/app.git' });
  });

  it('records switches that changed something and failed syncs; skips "already closest"', () => {
    const log = createActivityLog({ store: createActivityStore(dir.path) });
    const result = { path: '/src/app', from: { name: 'far', url: 'u' }, to: source, toppedUpFromPrimary: [], reason: 'r' };
    log.switched({ ...result, changed: false });
    log.switched({ ...result, changed: true }, { automatic: true, repository: 'PROJ/app' });
    log.switchFailed('/src/gone', new ContractError('NOT_FOUND', '/src/gone is not a clone made by mirror-clone.'));
    log.switchFailed('/src/app', new ContractError('CANCELLED', 'cancelled'));
    const mirror = { id: 'm', primaryBaseUrl: 'https://bb', projectKey: 'PROJ', slug: 'app', path: '/data/m.git', source: { id: 'near', name: 'near', url: 'u' }, state: 'failed', addedAt: 'now' } satisfies LocalMirror;
    log.syncFailed(mirror, new Error('nothing accepted the connection'), { automatic: true });
    expect(log.list().map((entry) => [entry.kind, entry.outcome, entry.repository, entry.detail ?? entry.error?.message])).toEqual([
      ['sync', 'failed', 'PROJ/app', 'nothing accepted the connection'],
      ['switch', 'cancelled', '/src/app', undefined],
      ['switch', 'failed', '/src/gone', '/src/gone is not a clone made by mirror-clone.'],
      ['switch', 'done', 'PROJ/app', 'from far to near'],
    ]);
    expect(log.list()[3]!.automatic).toBe(true);
  });

  it('keeps the newest entries only, and they outlive the log that wrote them', () => {
    const log = createActivityLog({ store: createActivityStore(dir.path, 3) });
    for (const n of [1, 2, 3, 4, 5]) log.cloneEnded(job({ jobId: `j${n}`, repository: `PROJ/r${n}` }));
    const reopened = createActivityLog({ store: createActivityStore(dir.path, 3) });
    expect(reopened.list().map((entry) => entry.repository)).toEqual(['PROJ/r5', 'PROJ/r4', 'PROJ/r3']);
  });
});
