/**
 * Text we did not write (an error message, Etsy's words) cut down to one line: whitespace runs and
 * line breaks become one space, and past `max` characters it ends in "…". The one implementation for
 * the tray, the CLI's error line and the secret store's messages. Pure TypeScript.
 */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "2026-12-02 17:25 UTC", for sentences. */
export function humanTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "840 KB", "12.5 MB": a file size for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
