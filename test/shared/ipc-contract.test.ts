import { describe, expect, it } from 'vitest';
import { APP_EVENTS, eventChannel, isAppEventName } from '../../src/shared/events';
import { IPC_CHANNELS, ipcInputSchemas, isIpcChannel, settingsUpdateSchema } from '../../src/shared/ipc';
import { IPC_CHANNEL_NAMES } from '../../src/shared/ipc-channels';

describe('IPC contract', () => {
  it('names every channel domain:verb, once, in the plain list and the schema map alike', () => {
    expect([...IPC_CHANNEL_NAMES].sort()).toEqual([...IPC_CHANNELS].sort());
    expect(new Set(IPC_CHANNELS).size).toBe(IPC_CHANNELS.length);
    for (const channel of IPC_CHANNELS) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('does not treat Object.prototype names as channels or events', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(isIpcChannel(name)).toBe(false);
      expect(isAppEventName(name)).toBe(false);
    }
  });

  it('settings:update changes only the keys sent (no defaults filled in)', () => {
    expect(settingsUpdateSchema.parse({ buffer: 3 })).toEqual({ buffer: 3 });
    expect(settingsUpdateSchema.parse({})).toEqual({});
    expect(settingsUpdateSchema.safeParse({ buffer: -1 }).success).toBe(false);
    expect(settingsUpdateSchema.safeParse({ inventorySyncIntervalMinutes: 1 }).success).toBe(false);
    expect(settingsUpdateSchema.safeParse({ colour: 'red' }).success).toBe(false);
  });

  it('channels without input accept nothing or {} and nothing else', () => {
    const schema = ipcInputSchemas['status:get'];
    expect(schema.safeParse(undefined).success).toBe(true);
    expect(schema.safeParse({}).success).toBe(true);
    expect(schema.safeParse({ x: 1 }).success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
  });

  it('history pages are capped at 500 rows', () => {
    expect(ipcInputSchemas['history:list'].safeParse({ limit: 500 }).success).toBe(true);
    expect(ipcInputSchemas['history:list'].safeParse({ limit: 501 }).success).toBe(false);
  });

  it('events travel on their own prefixed channels', () => {
    expect(APP_EVENTS.map(eventChannel)).toEqual(['event:status:changed', 'event:sync:progress', 'event:sync:finished', 'event:window:navigate']);
    for (const channel of APP_EVENTS.map(eventChannel)) expect(isIpcChannel(channel)).toBe(false);
  });
});
