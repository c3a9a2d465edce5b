import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackListener, type LoopbackListener } from '../../../src/main/etsy/oauth/loopback';
import { freePort } from './fake-etsy-oauth';

const STATE = 'the-expected-state-0123456789abcdef';
const open: LoopbackListener[] = [];

async function listen(port: number, extra: { timeoutMs?: number; signal?: AbortSignal; host?: string } = {}): Promise<LoopbackListener> {
  const listener = await startLoopbackListener({
    redirectUri: `http://${extra.host ?? 'localhost'}:${port}/oauth/redirect`,
    expectedState: STATE,
    timeoutMs: extra.timeoutMs ?? 60_000,
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
  open.push(listener);
  return listener;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe('loopback listener', () => {
  it('binds only 127.0.0.1 for a localhost redirect URI', async () => {
    const listener = await listen(await freePort());
    expect(listener.address().address).toBe('127.0.0.1');
    expect(listener.address().family).toBe('IPv4');
  });

  it('rejects wrong and missing state with 400 and keeps waiting; accepts one valid callback, then closes', async () => {
    const port = await freePort();
    const listener = await listen(port);
    const base = `http://127.0.0.1:${port}/oauth/redirect`;

    const wrong = await fetch(`${base}?code=stolen&state=not-the-state`);
    expect(wrong.status).toBe(400);
    const missing = await fetch(`${base}?code=stolen`);
    expect(missing.status).toBe(400);
    // An attacker's error callback (wrong state) must not end the flow either.
    const foreignError = await fetch(`${base}?error=access_denied&state=nope`);
    expect(foreignError.status).toBe(400);
    const otherPath = await fetch(`http://127.0.0.1:${port}/elsewhere?code=c&state=${STATE}`);
    expect(otherPath.status).toBe(404);

    const ok = await fetch(`${base}?code=the-code&state=${STATE}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Art Sync is connected. You can close this tab.');
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    await expect(listener.code).resolves.toBe('the-code');

    await expect(fetch(`${base}?code=again&state=${STATE}`)).rejects.toThrow();
  });

  it("ends with Etsy's error description when the callback carries error= and our state", async () => {
    const port = await freePort();
    const listener = await listen(port);
    const res = await fetch(`http://127.0.0.1:${port}/oauth/redirect?error=invalid_scope&error_description=bad+scope+x&state=${STATE}`);
    expect(res.status).toBe(400);
    await expect(listener.code).rejects.toMatchObject({ code: 'OAUTH_FAILED', message: expect.stringContaining('bad scope x') });
  });

  it('times out with OAUTH_TIMEOUT and stops listening', async () => {
    const port = await freePort();
    const listener = await listen(port, { timeoutMs: 30 });
    await expect(listener.code).rejects.toMatchObject({ code: 'OAUTH_TIMEOUT' });
    await expect(fetch(`http://127.0.0.1:${port}/oauth/redirect?code=c&state=${STATE}`)).rejects.toThrow();
  });

  it('is cancelled by its AbortSignal', async () => {
    const controller = new AbortController();
    const listener = await listen(await freePort(), { signal: controller.signal });
    controller.abort();
    await expect(listener.code).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('reports a busy port as OAUTH_PORT_IN_USE pointing at the paste path', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(listen(port)).rejects.toMatchObject({ code: 'OAUTH_PORT_IN_USE', action: expect.stringMatching(/paste/i) });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses non-loopback and https redirect URIs', async () => {
    await expect(
      startLoopbackListener({ redirectUri: 'http://0.0.0.0:3003/oauth/redirect', expectedState: STATE }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      startLoopbackListener({ redirectUri: 'https://localhost:3003/oauth/redirect', expectedState: STATE }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
