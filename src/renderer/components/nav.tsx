export const PAGES = [
  { id: 'catalog', label: 'Catalog' },
  { id: 'status', label: 'Status' },
  { id: 'activity', label: 'Activity' },
  { id: 'attention', label: 'Needs attention' },
  { id: 'settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** The left navigation: a list of buttons, the current page marked with aria-current. */
export function Nav(props: { current: PageId; attention: number; connected?: boolean; onSelect(page: PageId): void }) {
  // The catalog is what a shop owner manages every day: first once connected, after Status before.
  const pages = props.connected === false ? [...PAGES.slice(1, 2), PAGES[0], ...PAGES.slice(2)] : PAGES;
  return (
    <nav aria-label="Pages">
      <ul className="nav-list">
        {pages.map((page) => (
          <li key={page.id}>
            <button
              type="button"
              className="nav-button"
              aria-current={page.id === props.current ? 'page' : undefined}
              onClick={() => props.onSelect(page.id)}
            >
              <span>{page.label}</span>
              {page.id === 'attention' && props.attention > 0 && (
                <span className="nav-count" aria-label={`${props.attention} open`}>
                  {props.attention}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
