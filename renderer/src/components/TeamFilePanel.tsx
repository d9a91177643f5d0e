/**
 * A team file (shared/team-file.ts): opened from disk, dropped on the window or named by a link,
 * read here (the File API, no file system access) or fetched by the helper, and shown as exactly
 * what it would do: from where, which primary, which projects and repositories, into which
 * folder, laid out how, over which protocol. Nothing runs until "Clone" is pressed.
 * A file that is malformed, or for a primary not connected here, says so, one line a problem,
 * and offers nothing to run. The other way round, the checked repositories are saved as one.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { BatchLayout, PrimarySummary } from '../../../shared/contract';
import { samePrimary, writeTeamFile } from '../../../shared/team-file';
import { useAppLinks, useCloneBatches, useSettings } from '../state/stores';
import { readTeamFile, type OpenedTeamFile } from '../state/app-links-slice';
import { ErrorMessage } from './ErrorMessage';
import { revealBatch } from './BrowseSelectionBar';

/** "Open team file…": a file input behind a button-looking label, read as text when chosen; shown in
 * the app-wide team file panel unless `onOpen` takes it (the set-up path keeps it as its choice). */
export function TeamFileOpenButton({ onOpen }: { onOpen?(file: OpenedTeamFile): void }) {
  const showTeamFile = useAppLinks((state) => state.showTeamFile);
  const show = onOpen ?? showTeamFile;
  const input = useRef<HTMLInputElement>(null);
  const read = async (file: File | undefined) => {
    if (!file) return;
    show(await readTeamFile(file));
    // The same file chosen again (after fixing it) must be read again.
    if (input.current) input.current.value = '';
  };
  return (
    <>
      <input ref={input} type="file" accept=".json,application/json" className="visually-hidden" tabIndex={-1} aria-hidden="true" onChange={(event) => void read(event.target.files?.[0])} data-testid="team-file-input" />
      <button type="button" className="button button--small button--quiet browser__team" onClick={() => input.current?.click()}>Open team file…</button>
    </>
  );
}

/** The team file open now, if any (opened, dropped or linked), with its summary. */
export function OpenedTeamFilePanel({ primaries }: { primaries: PrimarySummary[] }) {
  const file = useAppLinks((state) => state.teamFile);
  const close = useAppLinks((state) => state.closeTeamFile);
  return file ? <TeamFilePanel file={file} primaries={primaries} onClose={close} /> : null;
}

/** Offers the checked repositories as a team file download (the desktop shell asks where to save it). */
export function saveTeamFile(primary: string, repositories: string[], layout: BatchLayout): void {
  const text = writeTeamFile({ primary, projects: [], repositories, layout, protocol: 'https' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  link.download = 'team.mirror-clone.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function TeamFilePanel({ file, primaries, onClose }: { file: OpenedTeamFile; primaries: PrimarySummary[]; onClose(): void }) {
  const defaultFolder = useSettings((state) => state.settings?.defaultCloneFolder);
  const start = useCloneBatches((state) => state.start);
  const starting = useCloneBatches((state) => state.starting);
  const startError = useCloneBatches((state) => state.startError);
  const [typedParent, setTypedParent] = useState<string | undefined>(undefined);
  const id = useId();
  const box = useRef<HTMLElement>(null);
  // A file dropped or linked while the page is elsewhere is brought into sight.
  // (A block body: newer browsers' scrollIntoView returns a promise, which React would take for a clean-up.)
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [file]);
  const parentDirectory = (typedParent ?? defaultFolder ?? '').trim();
  const team = file.parsed.ok ? file.parsed.team : undefined;
  const primary = team ? primaries.find((item) => samePrimary(item.baseUrl, team.primary)) : undefined;
  const problems = file.parsed.ok ? (primary ? [] : [`it is for ${team!.primary}, which is not connected here: connect it above first (the file holds no token)`]) : file.parsed.problems;

  const go = async () => {
    if (!team || !primary) return;
    const batchId = await start({
      primary: primary.baseUrl,
      projects: team.projects,
      repositories: team.repositories,
      layout: team.layout,
      protocol: team.protocol === 'ssh' ? 'ssh' : 'http',
      parentDirectory,
    });
    if (!batchId) return;
    onClose();
    revealBatch(batchId);
  };

  return (
    <section ref={box} className="teamfile" aria-labelledby={`${id}-title`} data-testid="team-file">
      <div className="teamfile__head">
        <h3 id={`${id}-title`} className="teamfile__title">Team file <span className="teamfile__name">{file.name}</span></h3>
        <button type="button" className="button button--small button--quiet" onClick={onClose}>Close</button>
      </div>
      {file.from && <p className="teamfile__from muted" data-testid="team-file-from">From a link to <span className="teamfile__address">{file.from}</span></p>}
      {problems.length > 0 ? (
        <div className="teamfile__problems" role="alert" data-testid="team-file-problems">
          <p className="teamfile__problems-title">{problems.length === 1 ? 'This file cannot be used:' : `This file cannot be used (${problems.length} problems):`}</p>
          <ul>
            {problems.map((problem) => <li key={problem} data-testid="team-file-problem">{problem}</li>)}
          </ul>
        </div>
      ) : (
        team && (
          <>
            <dl className="teamfile__facts" data-testid="team-file-summary">
              <div><dt>Primary</dt><dd>{primary!.name}</dd></div>
              {team.projects.length > 0 && <div><dt>{count(team.projects.length, 'Whole project', 'Whole projects')}</dt><dd>{team.projects.join(', ')} <span className="muted">(archived repositories left out)</span></dd></div>}
              {team.repositories.length > 0 && <div><dt>{count(team.repositories.length, 'Repository', 'Repositories')}</dt><dd>{team.repositories.join(', ')}</dd></div>}
              <div><dt>Protocol</dt><dd>{team.protocol === 'ssh' ? 'SSH' : 'HTTPS'}</dd></div>
            </dl>
            <div className="batchbar__row teamfile__go">
              <label className="batchbar__folder">
                <span>Into</span>
                <input type="text" value={typedParent ?? defaultFolder ?? ''} onChange={(event) => setTypedParent(event.target.value)} spellCheck={false} aria-label="Clone the team's repositories into this folder" />
              </label>
              <button type="button" className="button button--small button--primary" onClick={() => void go()} disabled={starting || parentDirectory === ''} data-testid="team-file-clone">
                {starting ? 'Starting…' : 'Clone the team’s repositories'}
              </button>
            </div>
            <p className="batchbar__where muted">
              Each into {parentDirectory || 'the folder'}/{team.layout === 'by-project' ? 'PROJECT/' : ''}&lt;repository&gt;, from the mirror closest to you. Finished clones already there are left alone.
            </p>
            {startError && <ErrorMessage error={startError} title="Could not start cloning." testId="team-file-error" />}
          </>
        )
      )}
    </section>
  );
}
