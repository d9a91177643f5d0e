import { sections } from '../state/navigation-slice';
import { useNavigation } from '../state/stores';

export function Sidebar() {
  const current = useNavigation((state) => state.section);
  const show = useNavigation((state) => state.show);
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
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
