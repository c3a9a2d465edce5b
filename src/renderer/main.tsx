import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { createApi, windowBridge } from './api/client';
import { App } from './app';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const bridge = windowBridge();
const root = createRoot(container);
if (bridge) {
  root.render(
    <StrictMode>
      <ApiProvider api={createApi(bridge)}>
        <App />
      </ApiProvider>
    </StrictMode>,
  );
} else {
  // Opened outside Art Sync (e.g. the built file in a browser): there is no core to talk to.
  root.render(<p className="standalone">This window only works inside the Art Sync app.</p>);
}
