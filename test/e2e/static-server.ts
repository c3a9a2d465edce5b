import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A tiny loopback static server for a built page, so Chromium loads it over http:// with its real
 * CSP (as the built index.html ships it). `overrides` replaces a file's body (e.g. an index.html with
 * an injected inline script).
 */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function serveStatic(root: string, overrides: Record<string, string> = {}): Promise<StaticServer> {
  const resolvedRoot = path.resolve(root);
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const relative = pathname === '/' ? '/index.html' : pathname;
    const override = overrides[relative];
    if (override !== undefined) {
      response.writeHead(200, { 'content-type': TYPES[path.extname(relative)] ?? 'application/octet-stream' });
      response.end(override);
      return;
    }
    if (relative === '/favicon.ico') {
      // Chromium asks every http origin for one; the Electron window (file://) never does.
      response.writeHead(204);
      response.end();
      return;
    }
    const file = path.resolve(resolvedRoot, `.${relative}`);
    if (!file.startsWith(resolvedRoot + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
