import { getBridge } from './bridge';
import { StatusPage } from './pages/status-page';

/** The window's shell. The desktop issue adds navigation (Activity, Needs attention, Settings). */
export function App() {
  const version = getBridge()?.version ?? null;
  return (
    <div className="app">
      <header className="app-header">
        <h1>Art Sync</h1>
        {version !== null && <span className="app-version">Version {version}</span>}
      </header>
      <main>
        <StatusPage />
      </main>
    </div>
  );
}
