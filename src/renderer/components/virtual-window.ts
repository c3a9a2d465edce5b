/**
 * The windowing arithmetic of the virtual list, kept pure so it is tested without a browser.
 * Rows have one fixed height, so the visible slice follows from the scroll offset alone: no row is
 * measured, and 100,000 rows cost as much as 20.
 */
export interface WindowRange {
  /** First row index to render (inclusive). */
  start: number;
  /** One past the last row index to render. */
  end: number;
}

export function visibleRange(options: {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Extra rows rendered above and below so a fast scroll does not show blank space. */
  overscan: number;
}): WindowRange {
  const { scrollTop, viewportHeight, rowHeight, count, overscan } = options;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end) };
}

/** True when the rendered window reaches within `threshold` rows of the loaded end (time to fetch more). */
export function nearEnd(range: WindowRange, count: number, threshold: number): boolean {
  return range.end >= count - threshold;
}
