import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NoHelper } from './components/NoHelper';
import { connectToHelper } from './bridge/connect';
import { createStores, StoresProvider } from './state/stores';
// All styles, in this order: each area's file refines the shared rules of app.css.
import './styles/app.css';
import './styles/repositories.css';
import './styles/browse.css';
import './styles/clones.css';
import './styles/keys.css';
import './styles/settings.css';
import './styles/setup.css';

const client = connectToHelper();
const root = createRoot(document.getElementById('root')!);

if (!client) {
  root.render(<NoHelper />);
} else {
  // The token has done its job; keep it out of the address bar, history and screenshots.
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  root.render(
    <StrictMode>
      <StoresProvider stores={createStores(client)}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}
