import { useEffect, useState } from 'react';
import { useEvent, useLoad } from './api/api-context';
import { ErrorBanner } from './components/error-banner';
import { Nav, PAGES, type PageId } from './components/nav';
import { StatusProvider, useStatus } from './hooks/use-status';
import { ActivityPage } from './pages/activity-page';
import { AttentionPage } from './pages/attention-page';
import { CatalogPage } from './pages/catalog-page';
import { OnboardingPage } from './pages/onboarding-page';
import { SettingsPage } from './pages/settings-page';
import { StatusPage } from './pages/status-page';

/** The page named by the address's hash (#activity …), so a reload stays on the same page. */
function pageFromHash(): PageId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return (PAGES.find((page) => page.id === id)?.id ?? 'status') as PageId;
}

export function App() {
  return (
    <StatusProvider>
      <Window />
    </StatusProvider>
  );
}

function Window() {
  const { status, error } = useStatus();
  const info = useLoad((api) => api.invoke('app:info'), 'info');
  const [page, setPage] = useState<PageId>(pageFromHash);
  // Decided once per window: the first run (never connected, never synced) starts with onboarding.
  const [onboarding, setOnboarding] = useState<boolean | null>(null);

  useEffect(() => {
    if (onboarding === null && status) setOnboarding(!status.connected && !status.needsReconnect && status.lastSyncedAt === null);
  }, [onboarding, status]);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (next: PageId) => {
    window.location.hash = next;
    setPage(next);
  };
  // The tray's "Record a sale…" opens this window on the Catalog page.
  useEvent('window:navigate', ({ page: target }) => {
    const known = PAGES.find((candidate) => candidate.id === target);
    if (known) go(known.id);
  });

  if (onboarding === null) {
    return (
      <div className="app app-loading">
        <main className="content">{error ? <ErrorBanner error={error} /> : <p className="muted">Loading…</p>}</main>
      </div>
    );
  }

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          {/* The one level-one heading: the window's name; each page titles itself with an h2. */}
          <h1 className="brand-name">Art Sync</h1>
          <span className="brand-shop">{status?.shop ? status.shop.name : 'No shop connected'}</span>
        </div>
        {!onboarding && <Nav current={page} attention={status?.attention ?? 0} connected={status?.connected ?? false} onSelect={go} />}
        <div className="sidebar-footer">{info.data ? `Version ${info.data.version}` : null}</div>
      </aside>
      <main className="content" id="content">
        {onboarding ? (
          <OnboardingPage
            onDone={() => {
              setOnboarding(false);
              go('status');
            }}
          />
        ) : page === 'status' ? (
          <StatusPage onOpen={go} />
        ) : page === 'catalog' ? (
          <CatalogPage />
        ) : page === 'activity' ? (
          <ActivityPage />
        ) : page === 'attention' ? (
          <AttentionPage />
        ) : (
          <SettingsPage />
        )}
      </main>
    </div>
  );
}
