/**
 * The sections, as a navigation list with one Tab stop (the section showing): Up and Down move
 * between sections, Home and End to the first and last, Enter or Space opens the one focused.
 * Moving does not open a section by itself, so passing over one loads nothing.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { sections, type SectionId } from '../state/navigation-slice';
import { useCloneJobs, useNavigation, useNetwork } from '../state/stores';
import { runningCloneCount, runningClonesText } from '../state/running-clones';

export function Sidebar() {
  const current = useNavigation((state) => state.section);
  const show = useNavigation((state) => state.show);
  // After a move to another network, Local clones has something to offer wherever the user is.
  const moved = useNetwork((state) => state.movedAt !== undefined);
  // Clones run (and their cards live) under Repositories: their count shows from any section.
  const running = useCloneJobs((state) => runningCloneCount(state.jobs));
  const list = useRef<HTMLUListElement>(null);
  // Where the arrow keys left the Tab stop; it follows the section showing when that changes.
  const [roving, setRoving] = useState<{ id: SectionId; while: SectionId } | undefined>(undefined);
  const stop = roving && roving.while === current ? roving.id : current;

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('.sidebar__item') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = { ArrowDown: (at + 1) % buttons.length, ArrowUp: (at - 1 + buttons.length) % buttons.length, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    setRoving({ id: sections[next]!.id, while: current });
    buttons[next]!.focus();
  };

  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden="true" />
        mirror-clone
      </div>
      <p id="sidebar-keys" className="visually-hidden">Up and Down arrows move between sections; Enter opens one.</p>
      <ul className="sidebar__list" ref={list} onKeyDown={onKeyDown}>
        {sections.map((section) => (
          <li key={section.id}>
            <button
              type="button"
              className="sidebar__item"
              aria-current={current === section.id ? 'page' : undefined}
              aria-describedby="sidebar-keys"
              // One Tab stop: the section showing (the arrow keys move the stop, see above).
              tabIndex={stop === section.id ? 0 : -1}
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
