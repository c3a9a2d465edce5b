import { describe, expect, it } from 'vitest';
import { parseCatalogCsv } from '../../src/main/catalog/csv';
import { buildCsvPreview, previewDifferences, stalePreviewMessage } from '../../src/main/catalog/csv-preview';
import type { CsvValues } from '../../src/shared/ipc';

const HEADER = 'sku,title,quantity,price,currency';
const FILE = [HEADER, 'FOX,Fox print,5,12.00,USD', 'HARE,Hare,x,3.00,USD', 'OWL,Owl,2,8.00,USD', 'NEW,New print,1,1.00,USD'].join('\n');

function catalog(values: Record<string, CsvValues>) {
  return (sku: string) => values[sku];
}

const base = {
  FOX: { title: 'Fox print', quantity: 3, price: 1200, currency: 'USD' },
  OWL: { title: 'Owl', quantity: 2, price: 800, currency: 'USD' },
};

describe('buildCsvPreview', () => {
  it('names each change before → after, new SKUs, unchanged ones only as a count, and refused lines by number', () => {
    const preview = buildCsvPreview(parseCatalogCsv(FILE), catalog(base));
    expect(preview.items).toEqual([
      { line: 2, sku: 'FOX', change: 'update', before: base.FOX, after: { ...base.FOX, quantity: 5 } },
      { line: 5, sku: 'NEW', change: 'new', before: null, after: { title: 'New print', quantity: 1, price: 100, currency: 'USD' } },
    ]);
    expect(preview.counts).toEqual({ new: 1, update: 1, unchanged: 1, errors: 1 });
    expect(preview.errors).toEqual([{ line: 3, reason: 'quantity "x" is not a whole number of 0 or more' }]);
    expect(preview.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same token for the same file and catalog, and another when a compared value changed — unchanged SKUs included', () => {
    const parsed = parseCatalogCsv(FILE);
    const first = buildCsvPreview(parsed, catalog(base));
    expect(buildCsvPreview(parseCatalogCsv(FILE), catalog({ ...base })).token).toBe(first.token);
    // OWL was unchanged in the preview; an edit to it since must still be noticed.
    const owlEdited = buildCsvPreview(parsed, catalog({ ...base, OWL: { ...base.OWL, quantity: 1 } }));
    expect(owlEdited.token).not.toBe(first.token);
    expect(previewDifferences(first, owlEdited)).toEqual(['OWL']);
    // FOX now already holds the file's values: its change went away.
    const foxDone = buildCsvPreview(parsed, catalog({ ...base, FOX: { ...base.FOX, quantity: 5 } }));
    expect(previewDifferences(first, foxDone)).toEqual(['FOX']);
    // Another file with the same changes is another preview.
    expect(buildCsvPreview(parseCatalogCsv(`${FILE}\nZED,Zed,1,1.00,USD`), catalog(base)).token).not.toBe(first.token);
  });

  it('says which SKUs changed, at most five by name', () => {
    expect(stalePreviewMessage(['A'])).toBe('The catalog changed since the preview (A): nothing was imported. Check the new preview and apply again.');
    expect(stalePreviewMessage(['A', 'B', 'C', 'D', 'E', 'F', 'G'])).toContain('(A, B, C, D, E and 2 more)');
  });
});
