import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { nearEnd, visibleRange } from './virtual-window';

export interface VirtualListProps<T> {
  /** Rows loaded so far; the list asks for more through onNearEnd. */
  items: readonly T[];
  /** Every row is exactly this tall (CSS must agree: see .virtual-row). */
  rowHeight: number;
  getKey(item: T): string | number;
  renderRow(item: T, index: number): ReactNode;
  /** Accessible name of the list. */
  label: string;
  /** More rows exist beyond `items` (keyset paging). */
  hasMore?: boolean;
  /** A page is being fetched; onNearEnd is not called again until it lands. */
  loading?: boolean;
  onNearEnd?(): void;
  overscan?: number;
  /** How many rows before the loaded end a fetch starts. */
  threshold?: number;
  /** Used before the viewport is measured (first paint). */
  initialHeight?: number;
  empty?: ReactNode;
  /** When this changes (e.g. a new filter), the list scrolls back to the top. */
  resetKey?: string;
}

/**
 * A windowed list: only the rows in (and just around) the viewport exist in the DOM, positioned in a
 * spacer as tall as all loaded rows. Rows are placed with CSSOM style properties, which the page's CSP
 * allows (it forbids inline style attributes and <style> blocks, not element.style).
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, overscan = 6, threshold = 20, hasMore = false, loading = false, onNearEnd } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(props.initialHeight ?? 480);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
  }, [props.resetKey]);

  const range = visibleRange({ scrollTop, viewportHeight: height, rowHeight, count: items.length, overscan });
  const wantsMore = hasMore && !loading && nearEnd(range, items.length, threshold);

  useEffect(() => {
    if (wantsMore) onNearEnd?.();
  }, [wantsMore, items.length, onNearEnd]);

  const rows: ReactNode[] = [];
  for (let index = range.start; index < range.end; index += 1) {
    const item = items[index] as T;
    rows.push(
      <div
        key={props.getKey(item)}
        role="listitem"
        className="virtual-row"
        aria-posinset={index + 1}
        aria-setsize={hasMore ? -1 : items.length}
        style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
      >
        {props.renderRow(item, index)}
      </div>,
    );
  }

  return (
    <div
      ref={viewport}
      className="virtual-viewport"
      // Focusable so arrow keys and Page Up/Down scroll it from the keyboard.
      tabIndex={0}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      data-rendered-rows={range.end - range.start}
      data-loaded-rows={items.length}
    >
      {items.length === 0 && !loading ? (
        <div className="virtual-empty">{props.empty ?? 'Nothing to show.'}</div>
      ) : (
        <div role="list" aria-label={props.label} aria-busy={loading} className="virtual-spacer" style={{ height: items.length * rowHeight }}>
          {rows}
        </div>
      )}
      {loading && <div className="virtual-loading" role="status">Loading…</div>}
    </div>
  );
}
