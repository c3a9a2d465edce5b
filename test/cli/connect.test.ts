import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEtsySimulator, type EtsySimulator } from '../../sim';
import { freePort } from '../sync/world';

// The real `bin/art-sync.js` against the Etsy simulator: issue 3's connect/status done-when, the
// canary check for the keystring and shared secret, and a clean Ctrl+C.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'art-sync.js');
const KEYSTRING = 'KEYCANARY123';
const SECRET = 'SECRETCANARY456';

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with stdout's first line once it is complete. */
  firstLine: Promise<string>;
  exit: Promise<number | null>;
}

describe('art-sync connect (spawned, against the simulator)', () => {
  let dir: string;
  let dataDir: string;
  let sim: EtsySimulator;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-connect-'));
    dataDir = path.join(dir, 'data');
    sim = await startEtsySimulator({ keystring: KEYSTRING, sharedSecret: SECRET, acceptAnyLoopbackRedirect: true, strict: false });
    env = {
      ...process.env,
      ART_SYNC_ETSY_API_URL: sim.url,
      ART_SYNC_ETSY_AUTH_URL: sim.url,
      ART_SYNC_NO_KEYCHAIN: '1',
      ART_SYNC_DATA_DIR: '',
      ETSY_KEYSTRING: KEYSTRING,
      ETSY_SHARED_SECRET: SECRET,
    };
  });
  afterEach(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Running {
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, ...args], { env: { ...env, ...extraEnv }, cwd: dir });
    let out = '';
    let err = '';
    let resolveLine: (line: string) => void = () => undefined;
    const firstLine = new Promise<string>((resolve) => {
      resolveLine = resolve;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolveLine(out.split('\n')[0]!);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, stdout: () => out, stderr: () => err, firstLine, exit };
  }

  async function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const running = start(args, extraEnv);
    const code = await running.exit;
    return { code, stdout: running.stdout(), stderr: running.stderr() };
  }

  it('--no-browser prints the address; a plain GET of it connects; status then shows the shop', async () => {
    const redirectUri = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
    const connect = start(['connect', '--no-browser', '--redirect-uri', redirectUri]);
    const url = await connect.firstLine;
    expect(url.startsWith(`${sim.url}/oauth/connect?`)).toBe(true);
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(redirectUri);

    // Stands in for the browser: the simulator approves and redirects to the CLI's loopback listener.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await connect.exit).toBe(0);
    const shop = sim.shop;
    expect(connect.stdout()).toBe(`${url}\nConnected to ${shop.shop_name} (shop ${shop.shop_id}).\n`);
    expect(connect.stderr()).toMatch(/^Open this address in your browser/);
    expect(connect.stderr()).toMatch(/kept in memory for this session/);

    const status = await run(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      connected: true,
      shop: { id: shop.shop_id, name: shop.shop_name },
      // No keychain here: the keys lived only in the connecting process (docs/PRODUCT.md §6).
      credentialsAvailable: false,
      secretsInMemory: expect.stringMatching(/in memory for this session/),
    });
    const human = await run(['status']);
    // The first line is the headline the tray would show: this process has no keys (no keychain).
    expect(human.stdout).toMatch(/^Connect Etsy again to keep syncing\nEtsy: connected to /);
    expect(human.stdout).toMatch(/in memory for this session/);

    // The redirect address that worked is remembered as the setting.
    const setting = await run(['config', 'get', 'redirectUri']);
    expect(setting.stdout).toBe(`${redirectUri}\n`);

    // Canary: the shared secret appears nowhere; the keystring only as the authorize address's client_id.
    const outputs = [connect.stdout(), connect.stderr(), status.stdout, status.stderr, human.stdout, human.stderr, setting.stdout];
    const withoutUrl = outputs.map((text) => text.split(url).join(''));
    for (const text of withoutUrl) expect(containsCanary(text)).toBe(null);
    expect(new URL(url).searchParams.get('client_id')).toBe(KEYSTRING);
    for (const file of filesUnder(dataDir)) {
      expect(containsCanary(fs.readFileSync(file).toString('latin1')), file).toBe(null);
    }

    const disconnect = await run(['disconnect']);
    expect(disconnect).toMatchObject({ code: 0, stderr: '' });
    expect(disconnect.stdout).toMatch(/^Disconnected from Etsy/);
    expect(JSON.parse((await run(['status', '--json'])).stdout)).toMatchObject({ connected: false, shop: null });
  }, 120_000);

  it('without a keystring and without a terminal, says how to give one in one line', async () => {
    const result = await run(['connect', '--no-browser'], { ETSY_KEYSTRING: '' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'art-sync: No Etsy keystring was given: pass --keystring, set ETSY_KEYSTRING, or run "art-sync connect" in a terminal to be asked.\n',
    );
  });

  it('refuses a redirect address that is not loopback before anything else happens', async () => {
    const result = await run(['connect', '--no-browser', '--redirect-uri', 'http://example.com/cb']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^art-sync: The redirect address "http:\/\/example\.com\/cb" cannot be used: its host must be localhost/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('Ctrl+C while waiting for Etsy cancels cleanly: one line, the port released, nothing stored', async () => {
    const port = await freePort();
    const connect = start(['connect', '--no-browser', '--redirect-uri', `http://127.0.0.1:${port}/oauth/redirect`]);
    await connect.firstLine;
    connect.child.kill('SIGINT');
    expect(await connect.exit).toBe(1);
    expect(connect.stderr()).toMatch(/\nart-sync: Connecting Etsy was cancelled\.\n$/);
    expect(connect.stderr()).not.toMatch(/at .*\.ts/);
    expect(await portIsFree(port)).toBe(true);
    expect(JSON.parse((await run(['status', '--json'])).stdout)).toMatchObject({ connected: false });
  }, 60_000);
});

/** Which form of a canary the text contains, or null. */
function containsCanary(text: string): string | null {
  for (const value of [KEYSTRING, SECRET, `${KEYSTRING}:${SECRET}`]) {
    const forms = [value, encodeURIComponent(value), Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'), Buffer.from(value).toString('hex')];
    for (const form of forms) if (text.includes(form)) return form;
  }
  return null;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function portIsFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
