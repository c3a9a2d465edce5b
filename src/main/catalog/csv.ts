/**
 * The catalog CSV format: header `sku,title,quantity,price,currency`, price as a decimal in the
 * currency's own decimals. Pure functions: parsing never throws for a bad row (the row is reported
 * with its line number and left out); only a file that is not this format at all is refused whole.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../shared/errors';
import { MAX_QUANTITY, MAX_QUANTITY_TEXT } from '../../shared/quantity';
import { formatPrice, normalizeCurrency, parsePrice } from './money';

export const CSV_HEADER = ['sku', 'title', 'quantity', 'price', 'currency'] as const;

export interface CatalogCsvRow {
  /** Line in the file where the row starts (the header is line 1). */
  line: number;
  sku: string;
  title: string;
  quantity: number;
  /** Integer minor units. */
  priceAmount: number;
  currency: string;
}

export interface CsvRowError {
  line: number;
  reason: string;
}

export interface ParsedCatalogCsv {
  rows: CatalogCsvRow[];
  errors: CsvRowError[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses the whole text. Throws AppError INVALID_INPUT only when the file as a whole is unusable:
 * wrong header or broken quoting (after a stray quote every later row would be misread, so none is
 * trusted). Otherwise returns the valid rows and one error per invalid row.
 */
export function parseCatalogCsv(text: string): ParsedCatalogCsv {
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as ParsedRecord[];
  } catch (cause) {
    const line = (cause as { lines?: unknown }).lines;
    const where = typeof line === 'number' ? ` at line ${line}` : '';
    throw new AppError('INVALID_INPUT', `The CSV file is malformed${where} (check its quotes); nothing was imported.`, {
      cause,
    });
  }

  const [header, ...body] = records;
  const expected = CSV_HEADER.join(',');
  if (header === undefined || header.record.map((h) => h.trim()).join(',') !== expected) {
    throw new AppError('INVALID_INPUT', `The first line must be exactly "${expected}"; nothing was imported.`);
  }

  const rows: CatalogCsvRow[] = [];
  const errors: CsvRowError[] = [];
  const firstLineOfSku = new Map<string, number>();
  for (const { record, info } of body) {
    // info.lines is the line where the record ends; a quoted field may span several lines.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const result = validateRecord(record);
    if (!result.ok) {
      errors.push({ line, reason: result.reason });
      continue;
    }
    const earlier = firstLineOfSku.get(result.row.sku);
    if (earlier !== undefined) {
      errors.push({ line, reason: `SKU "${result.row.sku}" already appears on line ${earlier}` });
      continue;
    }
    firstLineOfSku.set(result.row.sku, line);
    rows.push({ line, ...result.row });
  }
  return { rows, errors };
}

type RecordResult = { ok: true; row: Omit<CatalogCsvRow, 'line'> } | { ok: false; reason: string };

function validateRecord(record: string[]): RecordResult {
  if (record.length !== CSV_HEADER.length) {
    return { ok: false, reason: `expected ${CSV_HEADER.length} columns, found ${record.length}` };
  }
  const [skuText, titleText, quantityText, priceText, currencyText] = record as [string, string, string, string, string];
  const sku = skuText.trim();
  if (sku === '') return { ok: false, reason: 'the SKU is empty' };
  const title = titleText.trim();
  if (title === '') return { ok: false, reason: `SKU "${sku}" has no title` };

  const quantityTrimmed = quantityText.trim();
  if (!/^\d+$/.test(quantityTrimmed)) {
    return { ok: false, reason: `quantity "${quantityText}" is not a whole number of 0 or more` };
  }
  const quantity = Number(quantityTrimmed);
  if (quantity > MAX_QUANTITY) {
    return { ok: false, reason: `quantity ${quantityTrimmed} is more than ${MAX_QUANTITY_TEXT}` };
  }

  const currency = normalizeCurrency(currencyText);
  if (currency === undefined) {
    return { ok: false, reason: `currency "${currencyText}" is not a known currency code like USD` };
  }
  const price = parsePrice(priceText, currency);
  if (!price.ok) return { ok: false, reason: price.reason };

  return { ok: true, row: { sku, title, quantity, priceAmount: price.amount, currency } };
}

export interface CatalogCsvExportRow {
  sku: string;
  title: string;
  quantity: number;
  priceAmount: number;
  currency: string;
}

/** The same format parseCatalogCsv reads, so an export imports back unchanged. */
export function formatCatalogCsv(rows: readonly CatalogCsvExportRow[]): string {
  const records = rows.map((r) => [r.sku, r.title, String(r.quantity), formatPrice(r.priceAmount, r.currency), r.currency]);
  return stringify([[...CSV_HEADER], ...records], { record_delimiter: '\n' });
}

/** "line 4: quantity "-2" is not a whole number of 0 or more" */
export function formatRowError(error: CsvRowError): string {
  return `line ${error.line}: ${error.reason}`;
}
