import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';

describe('MemorySecretStore', () => {
  it('round-trips, overwrites and deletes', async () => {
    const store = new MemorySecretStore();
    expect(store.kind).toBe('memory');
    expect(await store.get('etsy.keystring')).toBeNull();
    await store.set('etsy.keystring', 'a');
    await store.set('etsy.keystring', 'b');
    expect(await store.get('etsy.keystring')).toBe('b');
    expect(await store.delete('etsy.keystring')).toBe(true);
    expect(await store.delete('etsy.keystring')).toBe(false);
    expect(await store.get('etsy.keystring')).toBeNull();
  });
});
