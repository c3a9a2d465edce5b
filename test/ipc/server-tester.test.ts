import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { createServerTester } from '../../src/main/desktop/server-tester';
import { freePort } from '../sync/world';

describe('server:test tester', () => {
  it('answers an unreachable server with a sentence, not an error, and without the password', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('server.password', 'serverpasswordcanary42');
    const test = createServerTester({ secrets, env: {} });
    const port = await freePort();
    const result = await test({ ...DEFAULT_SETTINGS, serverUrl: `postgres://art@127.0.0.1:${port}/art`, serverTlsMode: 'disable' }, new AbortController().signal);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/127\.0\.0\.1/);
    expect(result.message).not.toContain('serverpasswordcanary42');
  });

  it('says what to do when no server URL is set', async () => {
    const test = createServerTester({ secrets: new MemorySecretStore(), env: {} });
    const result = await test(DEFAULT_SETTINGS, new AbortController().signal);
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/server URL/i);
  });
});
