import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../../src/shared/errors';
import { IPC_CHANNELS, ipcInputSchemas, type IpcChannel } from '../../src/shared/ipc';
import { createApp, type Core } from '../../src/main/app';
import { createIpcGate, type IpcGate } from '../../src/main/desktop/ipc-gate';
import { createIpcHandlers, type IpcHandlerSet } from '../../src/main/desktop/ipc-handlers';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { freePort } from '../sync/world';
import { fakeCsvFiles } from './fake-csv-files';

/**
 * IPC fuzz: random payloads (and random near-valid objects built from each channel's own keys) to
 * every channel of a real core. Every call must resolve with a well-formed envelope that survives
 * Electron's structured clone; invalid input must come back as INVALID_INPUT; nothing may surface as
 * INTERNAL (an unexpected crash inside a handler).
 */
const PAGE = 'file:///app/dist/renderer/index.html';

let core: Core;
let set: IpcHandlerSet;
let gate: IpcGate;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-fuzz-'));
  // Etsy points at a closed loopback port: nothing leaves the machine, every Etsy call fails fast.
  const env = { ART_SYNC_ETSY_API_URL: 'http://127.0.0.1:9', ART_SYNC_ETSY_AUTH_URL: 'http://127.0.0.1:9', ART_SYNC_NO_KEYCHAIN: '1' };
  core = await createApp({ dataDir, env, secrets: new MemorySecretStore() });
  core.updateSettings({ redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect` });
  core.catalog.upsertMany([{ sku: 'A-1', title: 'Print', quantity: 3, priceAmount: 1500, currency: 'USD' }]);
  set = createIpcHandlers(core, {
    version: '1.0.0',
    platform: 'linux',
    openTrustedUrl: async () => undefined,
    // The window would now wait for a callback or a pasted address; here the owner gives up at once.
    openBrowser: async () => {
      void core.cancelConnect();
    },
    // The owner picks a small CSV each time (one bad line), and saves exports under one name.
    files: Object.assign(fakeCsvFiles(), {
      toOpen: { name: 'fuzz.csv', text: 'sku,title,quantity,price,currency\nA-1,Print,4,15.00,USD\nB-2,,1,1.00,USD\n' },
      saveAs: 'out.csv',
    }),
  });
  gate = createIpcGate({ handlers: set.handlers, pageFileUrl: PAGE });
});

afterAll(async () => {
  await set.dispose();
  await core.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The keys a channel's input object has, so fuzzed objects often get past "unknown key". */
function keysOf(schema: z.ZodType): string[] {
  let inner: unknown = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap();
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : ['redirectUri', 'buffer', 'pushPrices', 'serverUrl'];
}

const value = fc.oneof(
  fc.anything(),
  fc.integer(),
  fc.integer({ min: -1, max: 2_000_000 }),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.constantFrom('', ' ', 'A-1', 'products', 'inventory', 'etsy', 'catalog', 'https://www.etsy.com/', 'http://localhost:3003/oauth/redirect', '__proto__'),
  fc.array(fc.constantFrom('products', 'inventory', 'full', 1)),
);

/** A valid input per channel with required fields; the fuzz also mutates one field of it. */
const EXAMPLES: Partial<Record<IpcChannel, Record<string, unknown>>> = {
  'app:openExternal': { url: 'https://www.etsy.com/your/apps' },
  'sync:setPaused': { paused: true },
  'settings:update': { buffer: 1 },
  'etsy:connect': { keystring: 'fuzzkeystring', sharedSecret: 'fuzzsecret' },
  'catalog:setStock': { sku: 'A-1', quantity: 5 },
  'catalog:sell': { sku: 'A-1', quantity: 1 },
  'catalog:setLowStock': { sku: 'A-1', threshold: 3 },
  'runs:undo': { runId: 1, dryRun: true },
  'catalog:importApply': { token: '0'.repeat(64) },
  'catalog:pushState': { skus: ['A-1'] },
  'server:setPassword': { password: 'fuzzpassword' },
};

function payloadFor(channel: IpcChannel) {
  const keys = keysOf(ipcInputSchemas[channel]);
  const example = EXAMPLES[channel] ?? {};
  const exampleKeys = Object.keys(example);
  return fc.oneof(
    fc.constant(example),
    exampleKeys.length > 0
      ? fc.tuple(fc.constantFrom(...exampleKeys), value).map(([key, v]) => ({ ...example, [key]: v }))
      : fc.constant(undefined),
    fc.anything(),
    fc.constantFrom(undefined, null, {}, [], '', 0, Number.NaN),
    keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }) : fc.constant({}),
    // Every key present, with strings often (most inputs are strings).
    fc.record(Object.fromEntries(keys.map((key) => [key, fc.oneof(fc.string({ minLength: 1 }), value)]))),
    fc.dictionary(fc.oneof(fc.constantFrom(...(keys.length ? keys : ['x'])), fc.string()), value),
  );
}

function expectEnvelope(result: unknown): asserts result is { ok: boolean; error?: { code: string; message: string } } {
  expect(typeof result).toBe('object');
  const envelope = result as { ok: unknown; value?: unknown; error?: { code: unknown; message: unknown; action?: unknown } };
  expect(typeof envelope.ok).toBe('boolean');
  if (envelope.ok === false) {
    expect(ERROR_CODES).toContain(envelope.error?.code);
    expect(typeof envelope.error?.message).toBe('string');
    expect(Object.keys(envelope.error ?? {}).every((key) => ['code', 'message', 'action'].includes(key))).toBe(true);
  }
  // What Electron does to every answer: it must survive unchanged.
  expect(structuredClone(result)).toEqual(result);
}

describe('IPC fuzz', () => {
  it.each(IPC_CHANNELS)('%s: random payloads get an envelope; invalid ones INVALID_INPUT; nothing INTERNAL', async (channel) => {
    let reachedHandler = 0;
    await fc.assert(
      fc.asyncProperty(payloadFor(channel), async (payload) => {
        const result = await gate.dispatch(channel, payload, PAGE);
        expectEnvelope(result);
        if (!ipcInputSchemas[channel].safeParse(payload).success) {
          expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        } else {
          reachedHandler += 1;
        }
        expect(result.ok === false && result.error?.code === 'INTERNAL').toBe(false);
      }),
      { numRuns: channel === 'etsy:connect' ? 40 : 120 },
    );
    // The fuzz is not all rejected at the door: valid inputs reached the handler too.
    expect(reachedHandler).toBeGreaterThan(0);
  });

  it('random channels and senders never get past the gate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.anything(), fc.constantFrom(...IPC_CHANNELS)),
        fc.anything(),
        fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom(undefined, null, 'file:///app/dist/renderer/other.html', 'file://host/app/dist/renderer/index.html')),
        async (channel, payload, sender) => {
          const result = await gate.dispatch(channel, payload, sender as string | undefined);
          expectEnvelope(result);
          expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
        },
      ),
      { numRuns: 300 },
    );
  });
});
