import { describe, expect, it } from 'vitest';
import type { CloneJob } from '../../shared/contract';
import { appTitle, completionNotice, summarizeClones, titleFor } from '../../renderer/src/desktop/clone-activity';

function job(overrides: Partial<CloneJob>): CloneJob {
  return { jobId: 'j', repository: 'https://bitbucket.example.com/scm/proj/app.git', state: 'cloning', attempts: [], startedAt: '2026-11-21T08:00:00Z', ...overrides };
}
const progress = (value: number) => ({ phase: 'receiving' as const, value, phaseValue: value, text: '' });

describe('clone activity for the taskbar and title', () => {
  it('shows no bar when nothing runs, and the plain title', () => {
    const summary = summarizeClones([job({ state: 'done' }), job({ state: 'cancelled' })]);
    expect(summary).toEqual({ fraction: undefined, mode: 'normal', running: 0 });
    expect(titleFor(summary)).toBe(appTitle);
  });

  it('averages running clones, a clone still finding its server counting as zero', () => {
    const summary = summarizeClones([job({ progress: progress(0.6) }), job({ state: 'discovering' }), job({ state: 'done', progress: progress(1) })]);
    expect(summary.fraction).toBe(0.3);
    expect(summary.running).toBe(2);
    expect(titleFor(summary)).toBe(`30% · 2 clones · ${appTitle}`);
    expect(titleFor(summarizeClones([job({ progress: progress(0.999) })]))).toBe(`99% · 1 clone · ${appTitle}`);
    // Whole percents only: a figure that moves within one percent is the same figure.
    expect(summarizeClones([job({ progress: progress(0.4212) })])).toEqual(summarizeClones([job({ progress: progress(0.4288) })]));
  });

  it('turns to error mode while a failed clone is listed', () => {
    expect(summarizeClones([job({ state: 'failed' }), job({ progress: progress(0.2) })]).mode).toBe('error');
  });
});

describe('the notice when a clone ends', () => {
  it('names the repository, the folder and the server it came from', () => {
    const notice = completionNotice(job({ state: 'done', destination: '/home/ana/src/app', source: { id: 'm1', name: 'Frankfurt', url: 'https://fra/scm/proj/app.git', kind: 'mirror' } }));
    expect(notice).toEqual({ title: 'Cloned PROJ/app', body: 'Into /home/ana/src/app from Frankfurt.' });
  });

  it('gives a failure its message, and a cancel no notice', () => {
    expect(completionNotice(job({ state: 'failed', error: { code: 'NETWORK', message: 'The mirror stopped answering.' } }))).toEqual({ title: 'Clone of PROJ/app failed', body: 'The mirror stopped answering.' });
    expect(completionNotice(job({ state: 'cancelled' }))).toBeUndefined();
  });

  it('tells two clones of the same name from different projects apart', () => {
    const target = (projectKey: string) => ({ primaryBaseUrl: 'https://bitbucket.example.com', projectKey, slug: 'monorepo' });
    const done = (projectKey: string) => completionNotice(job({ state: 'done', repository: `${projectKey}/monorepo`, destination: `/src/${projectKey}/monorepo`, target: target(projectKey) }))!.title;
    expect(done('PROJ')).toBe('Cloned PROJ/monorepo');
    expect(done('TEAM')).toBe('Cloned TEAM/monorepo');
  });

  it('adds the folder when it is not named after the repository, so two clones of one repository differ', () => {
    const notice = completionNotice(job({ state: 'failed', repository: 'PROJ/app', destination: 'C:\\src\\app-2\\', error: { code: 'NETWORK', message: 'Lost.' } }));
    expect(notice?.title).toBe('Clone of PROJ/app (app-2) failed');
  });
});
