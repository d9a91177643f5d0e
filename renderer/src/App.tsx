import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { SettingsSection } from './components/SettingsSection';
import { RepositoriesSection } from './components/RepositoriesSection';
import { LocalClonesSection } from './components/LocalClonesSection';
import { LocalMirrorsSection } from './components/LocalMirrorsSection';
import { KeysSection } from './components/KeysSection';
import { ActivitySection } from './components/ActivitySection';
import { useNavigation } from './state/stores';
import { CloneActivityReporter } from './components/CloneActivityReporter';
import { ConnectionNotice } from './components/ConnectionNotice';

function CurrentSection() {
  const section = useNavigation((state) => state.section);
  switch (section) {
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

export function App() {
  return (
    <div className="app">
      <Sidebar />
      <main className="content">
        <CurrentSection />
      </main>
      <StatusBar />
      <ConnectionNotice />
      <CloneActivityReporter />
    </div>
  );
}
