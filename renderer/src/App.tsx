import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { EmptyState } from './components/EmptyState';
import { SettingsSection } from './components/SettingsSection';
import { useNavigation } from './state/stores';

function CurrentSection() {
  const section = useNavigation((state) => state.section);
  switch (section) {
    case 'repositories':
      return (
        <EmptyState title="No primary connected yet">
          <p>Connect your company&apos;s Bitbucket Data Center to browse its repositories and clone them from the closest mirror.</p>
        </EmptyState>
      );
    case 'clones':
      return (
        <EmptyState title="No local clones yet">
          <p>Repositories you clone appear here, with the mirror each one fetches from and the primary it pushes to.</p>
        </EmptyState>
      );
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
