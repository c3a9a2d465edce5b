import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectEtsy, disconnectEtsy } from '../../../src/main/etsy/oauth/connect';
import { parseStoredAccessToken } from '../../../src/main/etsy/oauth/token-manager';
import { MemorySecretStore } from '../../../src/main/secrets/memory-secret-store';
import { freePort, startFakeEtsyOAuth, type FakeEtsyOAuth } from './fake-etsy-oauth';

const KEY = 'connectkey';
const SECRET = 'connect-secret';
let etsy: FakeEtsyOAuth;

beforeEach(async () => {
  etsy = await startFakeEtsyOAuth({ keystring: KEY, sharedSecret: SECRET, userId: '99' });
});
afterEach(async () => {
  await etsy.close();
});

/** What a browser does: GET the authorize URL, and follow Etsy's redirect to the loopback listener. */
async function approveInBrowser(authorizeUrl: string): Promise<Response> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return fetch(res.headers.get('location') ?? '');
}

/** Runs `work` while another program holds a loopback port (the redirect's port is busy). */
async function withBusyPort<T>(work: (port: number) => Promise<T>): Promise<T> {
  const blocker = createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    return await work(port);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
}

describe('connectEtsy', () => {
  it('completes through the loopback listener and stores keystring, secret and tokens', async () => {
    const port = await freePort();
    const secrets = new MemorySecretStore();
    const redirectUri = `http://127.0.0.1:${port}/oauth/redirect`;
    let page: Promise<Response> | undefined;

    const result = await connectEtsy({
      keystring: KEY,
      sharedSecret: SECRET,
      redirectUri,
      authUrl: etsy.url,
      apiUrl: etsy.url,
      secrets,
      onAuthorizeUrl: (url) => {
        page = approveInBrowser(url);
      },
      timeoutMs: 30_000,
    });

    expect(result.userId).toBe('99');
    expect(await (await page)?.text()).toContain('Art Sync is connected. You can close this tab.');
    expect(await secrets.get('etsy.keystring')).toBe(KEY);
    expect(await secrets.get('etsy.sharedSecret')).toBe(SECRET);
    expect(await secrets.get('etsy.refreshToken')).toMatch(/^fake-refresh-/);
    expect(parseStoredAccessToken(await secrets.get('etsy.accessToken'))?.token).toMatch(/^99\./);
    expect(etsy.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code']);
    // The listener is gone.
    await expect(fetch(`${redirectUri}?code=x&state=y`)).rejects.toThrow();
  });

  it('rejects a forged callback (wrong or missing state) without any token request, then completes with the real one', async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/oauth/redirect`;
    let authorizeUrl = '';
    const openBrowser = vi.fn(async (url: string) => {
      authorizeUrl = url;
    });
    const done = connectEtsy({
      keystring: KEY,
      sharedSecret: SECRET,
      redirectUri,
      authUrl: etsy.url,
      apiUrl: etsy.url,
      secrets: new MemorySecretStore(),
      openBrowser,
      timeoutMs: 30_000,
    });
    await vi.waitFor(() => expect(openBrowser).toHaveBeenCalled());

    // The attacker knows a valid-looking code but not the state.
    const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
    const real = new URL(redirect.headers.get('location') ?? '');
    const code = real.searchParams.get('code') ?? '';
    expect((await fetch(`http://127.0.0.1:${port}/oauth/redirect?code=${code}&state=forged`)).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${port}/oauth/redirect?code=${code}`)).status).toBe(400);
    expect(etsy.tokenRequests).toHaveLength(0);

    expect((await fetch(real.href.replace('localhost', '127.0.0.1'))).status).toBe(200);
    await expect(done).resolves.toMatchObject({ userId: '99' });
    expect(etsy.tokenRequests).toHaveLength(1);
  });

  it('falls back to the paste path when the port is busy', async () => {
    await withBusyPort(async (port) => {
      let authorizeUrl = '';
      const onListenerUnavailable = vi.fn();
      const result = await connectEtsy({
        keystring: KEY,
        sharedSecret: SECRET,
        redirectUri: `http://localhost:${port}/oauth/redirect`,
        authUrl: etsy.url,
        apiUrl: etsy.url,
        secrets: new MemorySecretStore(),
        onAuthorizeUrl: (url) => {
          authorizeUrl = url;
        },
        onListenerUnavailable,
        // The user approves, the browser fails to load the redirect, the user pastes the address.
        pasteUrl: async () => (await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location') ?? '',
        timeoutMs: 30_000,
      });
      expect(result.userId).toBe('99');
      expect(onListenerUnavailable).toHaveBeenCalledWith(expect.objectContaining({ code: 'OAUTH_PORT_IN_USE' }));
    });
  });

  it('asks for another paste after a slip when told how to say it, and ends on a slip otherwise', async () => {
    await withBusyPort(async (port) => {
      const base = {
        keystring: KEY,
        sharedSecret: SECRET,
        redirectUri: `http://localhost:${port}/oauth/redirect`,
        authUrl: etsy.url,
        apiUrl: etsy.url,
        timeoutMs: 30_000,
      };
      let authorizeUrl = '';
      const pastes = ['not an address', `http://localhost:${port}/oauth/redirect?code=c&state=an-older-attempt`];
      const onPasteRejected = vi.fn();
      const result = await connectEtsy({
        ...base,
        secrets: new MemorySecretStore(),
        onAuthorizeUrl: (url) => (authorizeUrl = url),
        onPasteRejected,
        pasteUrl: async () => pastes.shift() ?? (await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location') ?? '',
      });
      expect(result.userId).toBe('99');
      expect(onPasteRejected.mock.calls.map(([error]) => error.code)).toEqual(['INVALID_INPUT', 'OAUTH_STATE_MISMATCH']);

      // Without the hook (the old contract), the first slip ends the connect and stores nothing.
      const secrets = new MemorySecretStore();
      await expect(connectEtsy({ ...base, secrets, pasteUrl: async () => 'not an address' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await secrets.get('etsy.refreshToken')).toBeNull();
    });
  });

  it('takes down a pending paste prompt when the loopback callback wins', async () => {
    let pasteSignal: AbortSignal | undefined;
    await connectEtsy({
      keystring: KEY,
      sharedSecret: SECRET,
      redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect`,
      authUrl: etsy.url,
      apiUrl: etsy.url,
      secrets: new MemorySecretStore(),
      onAuthorizeUrl: (url) => void approveInBrowser(url),
      pasteUrl: (signal) => {
        pasteSignal = signal;
        return new Promise<string>(() => undefined);
      },
      timeoutMs: 30_000,
    });
    expect(pasteSignal?.aborted).toBe(true);
  });

  it('ends at once when cancelled while the browser is opening (the abort came before the wait)', async () => {
    // A busy port: paste only, no listener whose own abort handling would end the wait.
    await withBusyPort(async (port) => {
      const controller = new AbortController();
      const started = Date.now();
      await expect(
        connectEtsy({
          keystring: KEY,
          sharedSecret: SECRET,
          redirectUri: `http://localhost:${port}/oauth/redirect`,
          authUrl: etsy.url,
          apiUrl: etsy.url,
          secrets: new MemorySecretStore(),
          signal: controller.signal,
          onAuthorizeUrl: () => undefined,
          openBrowser: async () => controller.abort(),
          pasteUrl: () => new Promise<string>(() => undefined),
          timeoutMs: 20_000,
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  it('stores nothing when the user declines on Etsy', async () => {
    etsy.authorizeError = 'access_denied';
    const secrets = new MemorySecretStore();
    await expect(
      connectEtsy({
        keystring: KEY,
        sharedSecret: SECRET,
        redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect`,
        authUrl: etsy.url,
        apiUrl: etsy.url,
        secrets,
        onAuthorizeUrl: (url) => void approveInBrowser(url),
        timeoutMs: 30_000,
      }),
    ).rejects.toMatchObject({ code: 'OAUTH_FAILED' });
    expect(await secrets.get('etsy.keystring')).toBeNull();
    expect(etsy.tokenRequests).toHaveLength(0);
  });

  it('times out when nobody approves', async () => {
    await expect(
      connectEtsy({
        keystring: KEY,
        sharedSecret: SECRET,
        redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect`,
        authUrl: etsy.url,
        apiUrl: etsy.url,
        secrets: new MemorySecretStore(),
        timeoutMs: 30,
      }),
    ).rejects.toMatchObject({ code: 'OAUTH_TIMEOUT' });
  });

  it('refuses plain-http Etsy addresses that are not on this computer', async () => {
    await expect(
      connectEtsy({
        keystring: KEY,
        sharedSecret: SECRET,
        authUrl: 'http://www.etsy.example',
        apiUrl: etsy.url,
        secrets: new MemorySecretStore(),
      }),
    ).rejects.toMatchObject({ code: 'INSECURE_URL' });
  });

  it('refuses a keystring that already contains the secret', async () => {
    await expect(
      connectEtsy({
        keystring: `${KEY}:${SECRET}`,
        sharedSecret: SECRET,
        authUrl: etsy.url,
        apiUrl: etsy.url,
        secrets: new MemorySecretStore(),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('disconnectEtsy', () => {
  it('deletes every etsy.* secret and nothing else', async () => {
    const secrets = new MemorySecretStore();
    for (const name of ['etsy.keystring', 'etsy.sharedSecret', 'etsy.refreshToken', 'etsy.accessToken', 'server.password'] as const) {
      await secrets.set(name, 'v');
    }
    await disconnectEtsy(secrets);
    expect(await secrets.get('etsy.keystring')).toBeNull();
    expect(await secrets.get('etsy.sharedSecret')).toBeNull();
    expect(await secrets.get('etsy.refreshToken')).toBeNull();
    expect(await secrets.get('etsy.accessToken')).toBeNull();
    expect(await secrets.get('server.password')).toBe('v');
  });
});
