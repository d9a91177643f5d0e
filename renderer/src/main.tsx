import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NoHelper } from './components/NoHelper';
import { connectToHelper } from './bridge/connect';
import { createStores, StoresProvider } from './state/stores';
import { linkFromAddress, listenForDesktopLinks } from './bridge/app-link-sources';
// All styles, in this order: each area's file refines the shared rules of app.css.
import './styles/app.css';
import './styles/repositories.css';
import './styles/browse.css';
import './styles/clones.css';
import './styles/keys.css';
import './styles/settings.css';
import './styles/links.css';
import './styles/setup.css';

const client = connectToHelper();
const root = createRoot(document.getElementById('root')!);

if (!client) {
  root.render(<NoHelper />);
} else {
  // Read before the fragment goes: a link the page was opened with (app-link-sources.ts).
  const linked = linkFromAddress(window.location);
  // The token has done its job; keep it out of the address bar, history and screenshots.
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  const stores = createStores(client);
  const openLink = (raw: string) => stores.appLinks.getState().openLink(raw);
  if (linked !== undefined) openLink(linked);
  listenForDesktopLinks(openLink);
  root.render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}
