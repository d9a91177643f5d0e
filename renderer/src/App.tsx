import type { MouseEvent } from 'react';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { SettingsSection } from './components/SettingsSection';
import { RepositoriesSection } from './components/RepositoriesSection';
import { LocalClonesSection } from './components/LocalClonesSection';
import { LocalMirrorsSection } from './components/LocalMirrorsSection';
import { KeysSection } from './components/KeysSection';
import { ActivitySection } from './components/ActivitySection';
import { SetupSection } from './components/SetupSection';
import { useNavigation } from './state/stores';
import { CloneActivityReporter } from './components/CloneActivityReporter';
import { ConnectionNotice } from './components/ConnectionNotice';
import { AppLinks } from './components/AppLinks';

function CurrentSection() {
  const section = useNavigation((state) => state.section);
  switch (section) {
    case 'setup':
      return <SetupSection />;
    case 'repositories':
      return <RepositoriesSection />;
    case 'clones':
      return <LocalClonesSection />;
    case 'mirrors':
      return <LocalMirrorsSection />;
    case 'activity':
      return <ActivitySection />;
    case 'keys':
      return <KeysSection />;
    case 'settings':
      return <SettingsSection />;
  }
}

/**
 * The first Tab stop: straight to the section's content, past the sidebar. Focus moves to the
 * content pane itself (not the URL's #fragment), so the next Tab lands on its first control.
 */
function SkipLink() {
  const skip = (event: MouseEvent) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <a className="skip-link" href="#main" onClick={skip}>
      Skip to main content
    </a>
  );
}

export function App() {
  return (
    <div className="app">
      <SkipLink />
      <Sidebar />
      <main className="content" id="main" tabIndex={-1}>
        <AppLinks />
        <CurrentSection />
      </main>
      <StatusBar />
      <ConnectionNotice />
      <CloneActivityReporter />
    </div>
  );
}
