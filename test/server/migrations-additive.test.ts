import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Released server migrations only add: the Art Management Tool and older Art Sync builds keep working
 * against a server migrated by a newer build. Each statement of every migration in drizzle/postgres is
 * checked; dropping, renaming, retyping, tightening a column or deleting data fails the test.
 */
const FOLDER = path.resolve(__dirname, '../../drizzle/postgres');

const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDROP\s+(TABLE|COLUMN|INDEX|CONSTRAINT|SCHEMA|TYPE|VIEW|SEQUENCE|FUNCTION|TRIGGER)\b/i, 'drops something'],
  [/\bALTER\s+TABLE\b[\s\S]*\bDROP\b/i, 'drops part of a table'],
  [/\bRENAME\b/i, 'renames something'],
  [/\bALTER\s+COLUMN\b[\s\S]*\b(TYPE|SET\s+DATA\s+TYPE)\b/i, 'changes a column type'],
  [/\bALTER\s+COLUMN\b[\s\S]*\bSET\s+NOT\s+NULL\b/i, 'makes an existing column required'],
  [/\bTRUNCATE\b/i, 'deletes data'],
  [/\bDELETE\s+FROM\b/i, 'deletes data'],
  [/\bUPDATE\s+"?\w+"?\s+SET\b/i, 'rewrites data'],
];

/** Splits drizzle's statement breakpoints and strips comments. */
export function statementsOf(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((s) => s.replace(/--[^\n]*$/gm, '').replace(/'(?:[^']|'')*'/g, "''").trim())
    .filter((s) => s !== '');
}

export function nonAdditive(sql: string): string[] {
  const problems: string[] = [];
  for (const statement of statementsOf(sql)) {
    if (/^COMMENT\s+ON\b/i.test(statement)) continue;
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(statement)) problems.push(`${what}: ${statement.slice(0, 120)}`);
    }
  }
  return problems;
}

describe('server migrations are additive only', () => {
  const files = fs.readdirSync(FOLDER).filter((f) => f.endsWith('.sql')).sort();

  it('has the migrations the journal lists, in order', () => {
    const journal = JSON.parse(fs.readFileSync(path.join(FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(files);
    const whens = journal.entries.map((e) => e.when);
    expect([...whens].sort((a, b) => a - b)).toEqual(whens);
  });

  it.each(files)('%s neither drops, renames, retypes nor deletes', (file) => {
    expect(nonAdditive(fs.readFileSync(path.join(FOLDER, file), 'utf8'))).toEqual([]);
  });

  it('the check itself catches each kind of non-additive change', () => {
    const bad = [
      'DROP TABLE "products";',
      'ALTER TABLE "products" DROP COLUMN "title";',
      'ALTER TABLE "products" RENAME COLUMN "title" TO "name";',
      'ALTER TABLE "product_variants" ALTER COLUMN "stock" SET DATA TYPE bigint;',
      'ALTER TABLE "product_variants" ALTER COLUMN "title" SET NOT NULL;',
      'DROP INDEX "etsy_products_sku_idx";',
      'TRUNCATE "etsy_inventory_sync_log";',
      'DELETE FROM "etsy_products";',
    ];
    for (const sql of bad) expect(nonAdditive(sql), sql).not.toEqual([]);
    expect(nonAdditive(`ALTER TABLE "products" ADD COLUMN "note" text;--> statement-breakpoint\nCOMMENT ON COLUMN "products"."note" IS 'Do not DROP this';`)).toEqual([]);
  });
});
