/**
 * `art-sync catalog list | set-stock | sell | low-stock | import | export` over the local catalog.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { CsvPreview, CsvValues } from '../../shared/ipc';
import { formatRowError } from '../catalog/csv';
import { formatPrice } from '../catalog/money';
import { MAX_QUANTITY, MAX_QUANTITY_TEXT } from '../../shared/quantity';
import { printJson, wantsJson, type CliContext } from './context';

export function registerCatalogCommands(program: Command, ctx: CliContext): void {
  const catalog = program.command('catalog').description('the local catalog: SKUs, stock and prices');

  catalog
    .command('list')
    .description('list every SKU with its stock and price')
    .option('--json', 'machine-readable output: [{ sku, title, quantity, price, currency }], price in minor units')
    .action(async (_options: unknown, command: Command) => {
      const items = await ctx.withCore(command, (core) => core.listCatalog());
      // docs/PRODUCT.md §7's stable fields, in their order.
      const rows = items.map((item) => ({ sku: item.sku, title: item.title, quantity: item.quantity, price: item.price, currency: item.currency }));
      if (wantsJson(command)) printJson(ctx, rows);
      else ctx.io.stdout(formatCatalogTable(rows));
    });

  catalog
    .command('set-stock')
    .description('set the stock of one SKU')
    .argument('<sku>', 'the SKU to change')
    .argument('<quantity>', `a whole number from 0 to ${MAX_QUANTITY_TEXT}`)
    .option('--json', 'machine-readable output')
    // So "set-stock A -1" reaches our own check (and its clear message) instead of "unknown option".
    .allowUnknownOption()
    .action(async (sku: string, quantityText: string, _options: unknown, command: Command) => {
      const quantity = parseQuantityArgument(quantityText);
      const result = await ctx.withCore(command, (core) => core.setStock(sku, quantity));
      if (wantsJson(command)) printJson(ctx, result);
      else if (result.changed) ctx.io.stdout(`${sku}: stock ${result.before} → ${result.after}.\n`);
      else ctx.io.stdout(`${sku}: stock was already ${result.after}.\n`);
    });

  catalog
    .command('sell')
    .description('record a sale made in person (a craft fair): lowers the stock; the next sync tells Etsy')
    .argument('<sku>', 'the SKU sold')
    .argument('[quantity]', 'how many were sold (default 1)')
    .option('--json', 'machine-readable output: { runId, sku, quantity, before, after, explanation }')
    .allowUnknownOption()
    .action(async (sku: string, quantityText: string | undefined, _options: unknown, command: Command) => {
      const quantity = quantityText === undefined ? 1 : parseQuantityArgument(quantityText);
      if (quantity === 0) throw new AppError('INVALID_INPUT', 'A sale is at least 1 item.');
      const result = await ctx.withCore(command, (core) => core.recordSale(sku, quantity));
      if (wantsJson(command)) printJson(ctx, result);
      else ctx.io.stdout(`${sku}: ${result.explanation}. Etsy gets it within seconds from the running app or "art-sync daemon", else with the next "art-sync sync".\n`);
    });

  catalog
    .command('low-stock')
    .description("set one SKU's own low-stock level (0 = never low), or \"default\" to follow the lowStockThreshold setting")
    .argument('<sku>', 'the SKU')
    .argument('<level>', 'a whole number, or "default"')
    .option('--json', 'machine-readable output: { sku, lowStockThreshold }')
    .allowUnknownOption()
    .action(async (sku: string, levelText: string, _options: unknown, command: Command) => {
      const level = levelText === 'default' ? null : parseQuantityArgument(levelText);
      const result = await ctx.withCore(command, (core) => core.setLowStockThreshold(sku, level));
      if (wantsJson(command)) printJson(ctx, result);
      else if (level === null) ctx.io.stdout(`${sku}: low-stock level follows the lowStockThreshold setting.\n`);
      else ctx.io.stdout(`${sku}: low at ${level === 0 ? 'no level (never low)' : `${level} or fewer in stock`}.\n`);
    });

  catalog
    .command('import')
    .description('add or update SKUs from a CSV file (sku,title,quantity,price,currency)')
    .argument('<file>', 'CSV file to read')
    .option('--dry-run', 'show what would change and which lines are refused; change nothing')
    .option('--json', 'machine-readable output (with --dry-run: the preview { counts, items, errors })')
    .action(async (file: string, options: { dryRun?: boolean }, command: Command) => {
      const text = readTextFile(file);
      if (options.dryRun) {
        const preview = await ctx.withCore(command, (core) => core.previewCatalogCsv(text));
        if (preview.errors.length > 0) ctx.fail(1);
        if (wantsJson(command)) printJson(ctx, { counts: preview.counts, items: preview.items, errors: preview.errors, notes: preview.notes });
        else ctx.io.stdout(formatCsvPreview(file, preview));
        for (const error of preview.errors) ctx.io.stderr(`line ${error.line}: ${error.reason}\n`);
        return;
      }
      const result = await ctx.withCore(command, (core) => core.importCatalogCsv(text));
      if (result.rejected.length > 0) ctx.fail(1);
      if (wantsJson(command)) printJson(ctx, result);
      else ctx.io.stdout(`Imported ${result.imported} row(s): ${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged.\n`);
      for (const error of result.rejected) ctx.io.stderr(`${formatRowError(error)}\n`);
      if (result.rejected.length > 0) {
        ctx.io.stderr(`art-sync: ${result.rejected.length} row(s) were rejected and not imported.\n`);
      }
    });

  catalog
    .command('export')
    .description('write the catalog to a CSV file that `catalog import` reads back')
    .argument('<file>', 'CSV file to write (replaced if it exists)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, _options: unknown, command: Command) => {
      const { csv, rows } = await ctx.withCore(command, (core) => core.exportCatalogCsv());
      writeTextFileAtomically(file, csv);
      if (wantsJson(command)) printJson(ctx, { exported: rows, file: path.resolve(file) });
      else ctx.io.stdout(`Exported ${rows} row(s) to ${file}.\n`);
    });
}

/** The dry run's report: the counts, then one line per new or changed SKU in file order. */
export function formatCsvPreview(file: string, preview: CsvPreview): string {
  const { counts } = preview;
  const refused = counts.errors === 0 ? '' : `, ${counts.errors} line${counts.errors === 1 ? '' : 's'} refused`;
  const lines = [`Dry run of ${file}: ${counts.new} new, ${counts.update} updated, ${counts.unchanged} unchanged${refused}. Nothing was changed.`, ...preview.notes];
  const price = (values: CsvValues) => `${formatPrice(values.price, values.currency)} ${values.currency}`;
  for (const item of preview.items) {
    const { before, after } = item;
    let what: string;
    if (before === null) what = `new: ${after.title}, stock ${after.quantity}, ${price(after)}`;
    else {
      const parts: string[] = [];
      if (before.quantity !== after.quantity) parts.push(`stock ${before.quantity} → ${after.quantity}`);
      if (before.price !== after.price || before.currency !== after.currency) parts.push(`price ${price(before)} → ${price(after)}`);
      if (before.title !== after.title) parts.push(`title "${before.title}" → "${after.title}"`);
      what = parts.join('; ');
    }
    lines.push(`  line ${item.line}  ${item.sku}  ${what}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Only plain digits: refuses "-1", "1.5", "1e3", "0x10", " " and values past MAX_QUANTITY. */
export function parseQuantityArgument(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new AppError('INVALID_INPUT', `"${text}" is not a valid stock: use a whole number from 0 to ${MAX_QUANTITY_TEXT}.`);
  }
  const quantity = Number(text);
  if (quantity > MAX_QUANTITY) {
    throw new AppError('INVALID_INPUT', `Stock ${text} is too large: the most is ${MAX_QUANTITY_TEXT}.`);
  }
  return quantity;
}

interface ListRow {
  sku: string;
  title: string;
  quantity: number;
  price: number;
  currency: string;
}

export function formatCatalogTable(rows: readonly ListRow[]): string {
  if (rows.length === 0) return 'The catalog is empty. Add SKUs with: art-sync catalog import FILE.csv\n';
  const table = [
    ['SKU', 'TITLE', 'STOCK', 'PRICE', 'CURRENCY'],
    ...rows.map((r) => [r.sku, r.title, String(r.quantity), formatPrice(r.price, r.currency), r.currency]),
  ];
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => (row[col] ?? '').length)));
  const rightAligned = new Set([2, 3]);
  return `${table
    .map((row) =>
      row
        .map((cell, col) => (rightAligned.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AppError('INVALID_INPUT', missing ? `There is no file ${file}.` : `Cannot read ${file}.`, { cause });
  }
}

/** Write then rename, so an interrupted export never leaves a half-written CSV in place of a good one. */
function writeTextFileAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text, 'utf8');
    fs.renameSync(tmp, file);
  } catch (cause) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('INVALID_INPUT', `Cannot write ${file}.`, { cause });
  }
}
