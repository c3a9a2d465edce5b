import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoShop } from '../../sim';
import { createIpcGate } from '../../src/main/desktop/ipc-gate';
import { createIpcHandlers, type IpcHandlerSet } from '../../src/main/desktop/ipc-handlers';
import type { Result } from '../../src/shared/errors';
import type { IpcChannel, IpcOutput } from '../../src/shared/ipc';
import { fakeCsvFiles } from '../ipc/fake-csv-files';
import { freePort, startWorld, type World } from '../sync/world';

/**
 * Onboarding that always completes (issue 15 item 6): while etsy:connect waits, the window gets
 * Etsy's sign-in address to copy, learns that the redirect port is busy, and can paste the address
 * Etsy sent the browser back to — a wrong paste is refused with why, and the connect keeps waiting.
 */
const PAGE = 'file:///app/dist/renderer/index.html';

let world: World | null = null;
let set: IpcHandlerSet | null = null;
let blocker: net.Server | null = null;
afterEach(async () => {
  await set?.dispose();
  set = null;
  await world?.close();
  world = null;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = null;
});

describe('connecting Etsy from the window when the browser cannot reach Art Sync', () => {
  it('shows the sign-in address and the busy port, refuses a wrong paste, and connects with the right one', async () => {
    world = await startWorld({ shop: demoShop() });
    const port = await freePort();
    // Another program holds the redirect port: Etsy's answer cannot come back by itself.
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const redirectUri = `http://127.0.0.1:${port}/oauth/redirect`;

    let browserUrl: string | null = null;
    set = createIpcHandlers(world.core, {
      version: '1',
      platform: 'linux',
      openTrustedUrl: async () => undefined,
      // The browser did not open (e.g. no default browser on this machine).
      openBrowser: async (url) => {
        browserUrl = url;
        throw new Error('no browser');
      },
      files: fakeCsvFiles(),
    });
    const gate = createIpcGate({ handlers: set.handlers, pageFileUrl: PAGE });
    async function value<C extends IpcChannel>(channel: C, input?: unknown): Promise<IpcOutput<C>> {
      const result = (await gate.dispatch(channel, input, PAGE)) as Result<IpcOutput<C>>;
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value;
    }
    await value('settings:update', { redirectUri });

    const connecting = gate.dispatch('etsy:connect', { keystring: world.sim.keystring, sharedSecret: world.sim.sharedSecret }, PAGE);
    await expect.poll(async () => (await value('etsy:connectProgress')).authorizeUrl, { timeout: 10_000 }).not.toBeNull();
    const progress = await value('etsy:connectProgress');
    expect(progress.waiting).toBe(true);
    expect(progress.authorizeUrl).toBe(browserUrl);
    expect(progress.authorizeUrl).not.toContain(world.sim.sharedSecret);
    expect(progress.listenerProblem).toMatch(/in use|busy|port/i);

    // Copying only part of the address: refused, with why, and the connect still waits.
    expect(await value('etsy:pasteRedirect', { url: 'oauth/redirect?code=abc' })).toEqual({
      accepted: false,
      message: expect.stringContaining('not a web address'),
    });
    expect(await value('etsy:pasteRedirect', { url: `${redirectUri}?code=abc&state=someone-elses` })).toEqual({
      accepted: false,
      message: expect.stringContaining('different connection attempt'),
    });
    expect((await value('etsy:connectProgress')).waiting).toBe(true);

    // The owner approves on Etsy in a browser on another device and pastes where it was sent back to.
    const approval = await fetch(progress.authorizeUrl!, { redirect: 'manual' });
    const sentBackTo = approval.headers.get('location');
    expect(sentBackTo).toMatch(new RegExp(`^${redirectUri.replace(/[.?]/g, '\\$&')}\\?`));
    expect(await value('etsy:pasteRedirect', { url: ` ${sentBackTo!} ` })).toEqual({ accepted: true, message: null });

    const connected = (await connecting) as Result<IpcOutput<'etsy:connect'>>;
    expect(connected).toMatchObject({ ok: true, value: { shopName: expect.any(String) } });
    expect(await value('etsy:connectProgress')).toEqual({ waiting: false, authorizeUrl: null, listenerProblem: null });
    const status = await value('status:get');
    expect(status.connected).toBe(true);
    expect(status.shop?.name).toBe(connected.ok ? connected.value.shopName : null);
  });
});
