import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The vendored document must stay byte-identical to Etsy's published capture (see shared/etsy/SOURCE.md);
// generated types and the contract validator are only as trustworthy as this file.
const SPEC_SHA256 = 'e6f95f1a38810cadf920796bc0e08797fb499312c8b50f317454e6ebd39531f7';

describe('vendored Etsy OpenAPI document', () => {
  it('is byte-identical to the 2026-09-26 capture', () => {
    const path = fileURLToPath(new URL('../../src/main/etsy/openapi/etsy-openapi.json', import.meta.url));
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(hash).toBe(SPEC_SHA256);
  });
});
