/** Repositories: connect a primary when there is none; otherwise find a repository (paste it, or browse) and clone it. */
import { useNavigation, usePrimaries } from '../state/stores';
import { ConnectPrimaryForm } from './ConnectPrimaryForm';
import { PrimaryList } from './PrimaryList';
import { RepositoryField } from './RepositoryField';
import { RepositoryBrowser } from './RepositoryBrowser';
import { ClonePanel } from './ClonePanel';
import { CloneJobList } from './CloneJobList';
import { ErrorMessage } from './ErrorMessage';
import { OpenedTeamFilePanel } from './TeamFilePanel';

export function RepositoriesSection() {
  const list = usePrimaries((state) => state.list);
  const loadError = usePrimaries((state) => state.loadError);
  const show = useNavigation((state) => state.show);

  if (list === undefined) {
    return (
      <section className="content__section" aria-labelledby="repositories-title" aria-busy="true">
        <h1 id="repositories-title" className="content__title">Repositories</h1>
        {loadError ? <ErrorMessage error={loadError} title="Could not read the connected primaries." /> : <p className="muted">Loading…</p>}
      </section>
    );
  }

  if (list.length === 0) {
    return (
      <section className="connect-empty" aria-labelledby="connect-title">
        <div className="connect-empty__intro">
          <span className="connect-empty__art" aria-hidden="true">
            <span /><span /><span />
          </span>
          <h1 id="connect-title" className="connect-empty__title">Connect a primary</h1>
          <p className="muted">
            Your company&apos;s Bitbucket Data Center is the primary. mirror-clone asks it which mirrors hold a repository, clones from the closest one and pushes back to the primary.
          </p>
          <p className="connect-empty__setup">
            New here?{' '}
            <button type="button" className="button button--small button--primary" onClick={() => show('setup')} data-testid="offer-setup">Get set up</button>{' '}
            <span className="muted">connects, checks your SSH keys and clones every repository you work in, in five steps.</span>
          </p>
        </div>
        <ConnectPrimaryForm />
        {/* A team file linked or dropped before any primary is connected: it names the one to connect. */}
        <OpenedTeamFilePanel primaries={list} />
      </section>
    );
  }

  return (
    <section className="content__section" aria-labelledby="repositories-title">
      <h1 id="repositories-title" className="content__title">Repositories</h1>
      <PrimaryList />
      <details className="add-primary">
        <summary>Connect another primary</summary>
        <ConnectPrimaryForm />
      </details>
      <RepositoryField />
      <RepositoryBrowser primaries={list} />
      <ClonePanel />
      <CloneJobList />
    </section>
  );
}
