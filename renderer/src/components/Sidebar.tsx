import { sections } from '../state/navigation-slice';
import { useCloneJobs, useNavigation, useNetwork } from '../state/stores';
import { runningCloneCount, runningClonesText } from '../state/running-clones';

export function Sidebar() {
  const current = useNavigation((state) => state.section);
  const show = useNavigation((state) => state.show);
  // After a move to another network, Local clones has something to offer wherever the user is.
  const moved = useNetwork((state) => state.movedAt !== undefined);
  // Clones run (and their cards live) under Repositories: their count shows from any section.
  const running = useCloneJobs((state) => runningCloneCount(state.jobs));
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden="true" />
        mirror-clone
      </div>
      <ul className="sidebar__list">
        {sections.map((section) => (
          <li key={section.id}>
            <button
              type="button"
              className="sidebar__item"
              aria-current={current === section.id ? 'page' : undefined}
              onClick={() => show(section.id)}
            >
              {section.label}
              {section.id === 'repositories' && running > 0 && (
                <span className="sidebar__count" data-testid="running-clones-count">
                  {running}
                  <span className="visually-hidden"> {runningClonesText(running)}</span>
                </span>
              )}
              {section.id === 'clones' && moved && (
                <span className="sidebar__dot" data-testid="clones-attention">
                  <span className="visually-hidden"> (you moved to another network)</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
