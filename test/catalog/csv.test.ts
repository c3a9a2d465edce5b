import { describe, expect, it } from 'vitest';
import { formatCatalogCsv, formatRowError, parseCatalogCsv } from '../../src/main/catalog/csv';

const HEADER = 'sku,title,quantity,price,currency';

describe('parseCatalogCsv', () => {
  it('reads quoted fields, CRLF and a UTF-8 BOM', () => {
    const text = `\uFEFF${HEADER}\r\nP-1,"Fox, at dusk",3,12.50,USD\r\nP-2,"Say ""hi""",0,1200,jpy\r\n`;
    const { rows, errors } = parseCatalogCsv(text);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, sku: 'P-1', title: 'Fox, at dusk', quantity: 3, priceAmount: 1250, currency: 'USD' },
      { line: 3, sku: 'P-2', title: 'Say "hi"', quantity: 0, priceAmount: 1200, currency: 'JPY' },
    ]);
  });

  it('reports each bad row with its line in the file and keeps the good ones', () => {
    const text = [
      HEADER,
      'A,Good,1,1.00,USD',
      'B,Negative,-1,1.00,USD',
      '',
      'C,Fraction,1.5,1.00,USD',
      'D,Too precise,1,1.005,USD',
      'E,Bad currency,1,1.00,XYZ',
      'A,Duplicate,1,1.00,USD',
      'F,Too many,1000000,1.00,USD',
      ',No sku,1,1.00,USD',
      'G,Short,1',
      'H,"Two',
      'lines",2,2.00,EUR',
      'I,Last,2,2.00,EUR',
    ].join('\n');
    const { rows, errors } = parseCatalogCsv(text);
    expect(rows.map((r) => [r.line, r.sku])).toEqual([
      [2, 'A'],
      [12, 'H'],
      [14, 'I'],
    ]);
    expect(rows[1]?.title).toBe('Two\nlines');
    expect(errors.map((e) => e.line)).toEqual([3, 5, 6, 7, 8, 9, 10, 11]);
    expect(formatRowError(errors[0]!)).toBe('line 3: quantity "-1" is not a whole number of 0 or more');
    expect(errors[4]?.reason).toBe('SKU "A" already appears on line 2');
    // Stock is 0 to 999,999 (issue 15).
    expect(errors[5]?.reason).toBe('quantity 1000000 is more than 999,999');
  });

  it('refuses a file with the wrong header or broken quotes as a whole', () => {
    expect(() => parseCatalogCsv('sku,quantity,title,price,currency\nA,1,T,1.00,USD')).toThrow(/first line must be/);
    expect(() => parseCatalogCsv('')).toThrow(/first line must be/);
    expect(() => parseCatalogCsv(`${HEADER}\nA,"bad"quote,1,1.00,USD`)).toThrow(/malformed at line 2/);
  });
});

describe('formatCatalogCsv', () => {
  it('round-trips through parseCatalogCsv', () => {
    const rows = [
      { sku: 'A', title: 'Fox, at dusk', quantity: 3, priceAmount: 1250, currency: 'USD' },
      { sku: 'B', title: 'Quote "me"', quantity: 0, priceAmount: 1200, currency: 'JPY' },
    ];
    const text = formatCatalogCsv(rows);
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(parseCatalogCsv(text)).toEqual({
      rows: rows.map((r, i) => ({ ...r, line: i + 2 })),
      errors: [],
    });
  });
});
