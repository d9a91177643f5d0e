/**
 * Step 2: what to clone. Browse's list with its checks (Space, Shift+arrows, clicks), whole
 * projects added from the project filter, or the team file a team lead sent, shown as exactly
 * what it names. Nothing is cloned here.
 */
import { useState } from 'react';
import { samePrimary } from '../../../shared/team-file';
import { formatRepositoryCount } from '../../../shared/format';
import { useBrowse, usePrimaries, useSetup } from '../state/stores';
import { RepositoryBrowser } from './RepositoryBrowser';
import { SetupNav } from './SetupNav';
import { TeamFileOpenButton } from './TeamFilePanel';
import type { OpenedTeamFile } from '../state/app-links-slice';

/** What the selection amounts to, in words: "3 repositories and all of CORE". */
export function selectionWords(repositories: number, projects: string[]): string {
  const parts = [...(repositories > 0 ? [formatRepositoryCount(repositories)] : []), ...(projects.length > 0 ? [`all of ${projects.join(', ')}`] : [])];
  return parts.join(' and ');
}

function TeamFileSummary() {
  const teamFile = useSetup((state) => state.teamFile)!;
  const chooseTeamFile = useSetup((state) => state.chooseTeamFile);
  const { team } = teamFile;
  return (
    <div className="panel setup__team" data-testid="setup-team-file">
      <p className="setup__team-title">From the team file <strong>{teamFile.name}</strong>:</p>
      <dl className="teamfile__facts">
        {team.projects.length > 0 && <div><dt>Whole projects</dt><dd>{team.projects.join(', ')} <span className="muted">(archived repositories left out)</span></dd></div>}
        {team.repositories.length > 0 && <div><dt>Repositories</dt><dd>{team.repositories.join(', ')}</dd></div>}
        <div><dt>Layout</dt><dd>{team.layout === 'by-project' ? 'a folder per project' : 'every repository side by side'}</dd></div>
        <div><dt>Protocol</dt><dd>{team.protocol === 'ssh' ? 'SSH' : 'HTTPS'} preferred</dd></div>
      </dl>
      <button type="button" className="button button--small button--quiet" onClick={() => chooseTeamFile(undefined)}>Choose in the list instead</button>
    </div>
  );
}

export function SetupChooseStep() {
  const primaries = usePrimaries((state) => state.list) ?? [];
  const primaryUrl = useSetup((state) => state.primary);
  const projects = useSetup((state) => state.projects);
  const teamFile = useSetup((state) => state.teamFile);
  const toggleProject = useSetup((state) => state.toggleProject);
  const chooseTeamFile = useSetup((state) => state.chooseTeamFile);
  const show = useSetup((state) => state.show);
  const checked = useBrowse((state) => Object.keys(state.checked).length);
  const filter = useBrowse((state) => state.projectKey);
  const [problems, setProblems] = useState<{ name: string; lines: string[] } | undefined>(undefined);
  const primary = primaries.find((item) => item.baseUrl === primaryUrl) ?? primaries[0];
  if (!primary) return <SetupNav />;

  const open = (file: OpenedTeamFile) => {
    if (!file.parsed.ok) return setProblems({ name: file.name, lines: file.parsed.problems });
    if (!samePrimary(file.parsed.team.primary, primary.baseUrl)) {
      return setProblems({ name: file.name, lines: [`it is for ${file.parsed.team.primary}, not ${primary.baseUrl}: connect that primary in step 1 first (the file holds no token)`] });
    }
    setProblems(undefined);
    chooseTeamFile({ name: file.name, team: file.parsed.team });
  };

  const repositories = teamFile ? teamFile.team.repositories.length : checked;
  const wholeProjects = teamFile ? teamFile.team.projects : projects;
  const chosen = selectionWords(repositories, wholeProjects);

  return (
    <div className="setup__body">
      <div className="setup__choose-head">
        <p className="setup__intro">Check the repositories you work in (Space or a click), or add whole projects. Your team lead may have sent a team file instead:</p>
        <TeamFileOpenButton onOpen={open} />
      </div>
      {problems && (
        <div className="teamfile__problems" role="alert" data-testid="setup-team-file-problems">
          <p className="teamfile__problems-title">{problems.name} cannot be used:</p>
          <ul>{problems.lines.map((line) => <li key={line}>{line}</li>)}</ul>
        </div>
      )}
      {teamFile ? (
        <TeamFileSummary />
      ) : (
        <>
          <RepositoryBrowser primaries={[primary]} choosing />
          <div className="setup__projects" data-testid="setup-projects">
            {filter && (
              <button type="button" className="button button--small" aria-pressed={projects.includes(filter)} onClick={() => toggleProject(filter)} data-testid="setup-whole-project">
                {projects.includes(filter) ? `Leave out the rest of ${filter}` : `Add all of ${filter}`}
              </button>
            )}
            {projects.map((key) => (
              <span key={key} className="pill setup__project">
                All of {key}
                <button type="button" className="link-button" aria-label={`Remove all of ${key}`} onClick={() => toggleProject(key)}>×</button>
              </span>
            ))}
            {!filter && projects.length === 0 && <span className="muted">Narrow the list to a project to add all of it.</span>}
          </div>
        </>
      )}
      <SetupNav
        next={{
          label: 'Next: check your keys',
          onNext: () => show('keys'),
          blocked: chosen ? undefined : 'Check a repository, add a project, or open a team file first.',
          testId: 'setup-next',
        }}
      >
        <span className="setup__nav-what" data-testid="setup-chosen">{chosen ? `Chosen: ${chosen}` : ''}</span>
      </SetupNav>
    </div>
  );
}
