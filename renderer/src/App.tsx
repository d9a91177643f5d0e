import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { EmptyState } from './components/EmptyState';
import { SettingsSection } from './components/SettingsSection';
import { RepositoriesSection } from './components/RepositoriesSection';
import { LocalClonesSection } from './components/LocalClonesSection';
import { useNavigation } from './state/stores';

function CurrentSection() {
  const section = useNavigation((state) => state.section);
  switch (section) {
    case 'repositories':
      return <RepositoriesSection />;
    case 'clones':
      return <LocalClonesSection />;
    case 'keys':
      return (
        <EmptyState title="SSH keys">
          <p>Your SSH keys and what each server accepts will be listed here.</p>
        </EmptyState>
      );
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
    </div>
  );
}
