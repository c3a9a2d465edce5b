import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES } from '../../src/shared/errors';
import { IPC_CHANNELS } from '../../src/shared/ipc';
import { createIpcGate } from '../../src/main/desktop/ipc-gate';
import type { IpcHandlers } from '../../src/main/desktop/ipc-handlers';

const PAGE = 'file:///opt/Art%20Sync/resources/app.asar/dist/renderer/index.html';

/** Every handler answers its channel name; overrides replace some. */
function stubHandlers(overrides: Partial<Record<keyof IpcHandlers, (input: unknown) => Promise<unknown>>> = {}): IpcHandlers {
  const handlers = Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, async () => channel]));
  return { ...handlers, ...overrides } as unknown as IpcHandlers;
}

describe('IPC gate: sender', () => {
  const gate = createIpcGate({ handlers: stubHandlers(), pageFileUrl: PAGE, devServerOrigin: 'http://localhost:5173' });

  it.each([PAGE, `${PAGE}#/activity`, `${PAGE}?x=1`, 'http://localhost:5173/', 'http://localhost:5173/#/settings'])('accepts the app page %s', async (url) => {
    await expect(gate.dispatch('status:get', undefined, url)).resolves.toEqual({ ok: true, value: 'status:get' });
  });

  it.each([
    undefined,
    null,
    '',
    'about:blank',
    'file:///opt/Art%20Sync/resources/app.asar/dist/renderer/other.html',
    'file:///tmp/index.html',
    'file://evil-host/opt/Art%20Sync/resources/app.asar/dist/renderer/index.html',
    'https://www.etsy.com/',
    'http://localhost:5174/',
    'https://localhost:5173/',
    'http://127.0.0.1:5173/',
    'data:text/html,<script>1</script>',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
  ])('refuses sender %s with FORBIDDEN_SENDER and calls nothing', async (url) => {
    let called = false;
    const guarded = createIpcGate({
      handlers: stubHandlers({ 'status:get': async () => ((called = true), 'x') }),
      pageFileUrl: PAGE,
      devServerOrigin: 'http://localhost:5173',
    });
    const result = await guarded.dispatch('status:get', undefined, url);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(called).toBe(false);
  });

  it('without a dev server, only the file page is trusted', async () => {
    const packaged = createIpcGate({ handlers: stubHandlers(), pageFileUrl: PAGE });
    expect(packaged.isTrustedSender('http://localhost:5173/')).toBe(false);
    expect(packaged.isTrustedSender(PAGE)).toBe(true);
  });
});

describe('IPC gate: channel and input', () => {
  const gate = createIpcGate({ handlers: stubHandlers(), pageFileUrl: PAGE });

  it.each(['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 42, null, { channel: 'status:get' }])('unknown channel %s → INVALID_INPUT', async (channel) => {
    const result = await gate.dispatch(channel, undefined, PAGE);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it.each([
    ['sync:setPaused', undefined],
    ['sync:setPaused', { paused: 'yes' }],
    ['sync:setPaused', { paused: true, extra: 1 }],
    ['status:get', { surprise: true }],
    ['status:get', 'text'],
    ['history:list', { limit: 501 }],
    ['history:list', { limit: 0 }],
    ['history:list', { beforeId: 1.5 }],
    ['catalog:setStock', { sku: 'A', quantity: -1 }],
    ['catalog:setStock', { sku: '', quantity: 1 }],
    ['settings:update', { buffer: -1 }],
    ['settings:update', { unknownSetting: 1 }],
    ['etsy:connect', { keystring: 'k' }],
    ['app:openExternal', { url: 5 }],
  ])('%s with %j → INVALID_INPUT', async (channel, input) => {
    const result = await gate.dispatch(channel, input, PAGE);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('passes the parsed input to the handler', async () => {
    const seen: unknown[] = [];
    const echo = createIpcGate({ handlers: stubHandlers({ 'history:list': async (input) => (seen.push(input), 'ok') }), pageFileUrl: PAGE });
    await echo.dispatch('history:list', { sku: 'A-1', limit: 10 }, PAGE);
    expect(seen).toEqual([{ sku: 'A-1', limit: 10 }]);
  });
});

describe('IPC gate: handler failures', () => {
  it('an AppError keeps its code, sentence and action', async () => {
    const gate = createIpcGate({
      handlers: stubHandlers({ 'sync:now': async () => { throw new AppError('RECONNECT_ETSY', 'Etsy asked Art Sync to connect again.', { action: 'Reconnect Etsy' }); } }),
      pageFileUrl: PAGE,
    });
    await expect(gate.dispatch('sync:now', undefined, PAGE)).resolves.toEqual({
      ok: false,
      error: { code: 'RECONNECT_ETSY', message: 'Etsy asked Art Sync to connect again.', action: 'Reconnect Etsy' },
    });
  });

  it.each([
    ['an Error with internals', () => { throw new Error('SQLITE_CORRUPT at /home/me/secret-path'); }],
    ['a thrown string', () => { throw 'boom'; }],
    ['a thrown undefined', () => { throw undefined; }],
    ['a rejected promise', () => Promise.reject(new TypeError('x is not a function'))],
  ])('%s becomes INTERNAL with a generic sentence', async (_name, fail) => {
    const logged: string[] = [];
    const gate = createIpcGate({
      handlers: stubHandlers({ 'status:get': async () => fail() }),
      pageFileUrl: PAGE,
      onUnexpectedError: (channel) => logged.push(channel),
    });
    const result = await gate.dispatch('status:get', undefined, PAGE);
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Art Sync.' } });
    expect(logged).toEqual(['status:get']);
    expect(ERROR_CODES).toContain('INTERNAL');
  });
});
