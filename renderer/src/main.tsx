import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NoHelper } from './components/NoHelper';
import { connectToHelper } from './bridge/connect';
import { createStores, StoresProvider } from './state/stores';
// In this order: later files refine the shared rules of app.css.
import './styles/app.css';
import './styles/repositories.css';
import './styles/local-clones.css';
import './styles/keys.css';

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
