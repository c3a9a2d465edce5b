import { spawn } from 'node:child_process';

/**
 * Asks the desktop to open `url` in the default browser and returns at once. Failures (no desktop,
 * no opener installed) are ignored on purpose: the caller always prints the address as well.
 * Only Art Sync's own Etsy authorize address (https, or loopback for the simulator) is passed here.
 */
export function openUrlInBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  // Windows: `cmd /c start` would split the address at every "&"; the URL handler takes it whole.
  const [command, args]: [string, string[]] =
    platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // spawn can throw synchronously (e.g. EACCES); the printed address is the way forward.
  }
}
