import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// These run the real `bin/art-sync.js` (the prebuilt bundle when it is up to date, else tsx), exactly as `npx art-sync` would.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'art-sync.js');
const sample = path.join(root, 'test', 'fixtures', 'sample.csv');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('art-sync catalog', () => {
  let dir: string;
  let dataDir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-cli-'));
    dataDir = path.join(dir, 'data');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(...args: string[]): Run {
    const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, ART_SYNC_DATA_DIR: '' },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function list(): unknown {
    const result = run('catalog', 'list', '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  }

  /** Every catalog row with version and timestamps, read straight from the file. */
  function dbHash(): string {
    const db = new Database(path.join(dataDir, 'art-sync.db'));
    try {
      const rows = db.prepare('SELECT * FROM catalog_variants ORDER BY id').all();
      const products = db.prepare('SELECT * FROM catalog_products ORDER BY id').all();
      return createHash('sha256').update(JSON.stringify([rows, products])).digest('hex');
    } finally {
      db.close();
    }
  }

  it('imports the sample CSV and lists it as JSON with prices in minor units', () => {
    const imported = run('catalog', 'import', sample);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/Imported 4 row\(s\): 4 new/);
    expect(list()).toEqual([
      { sku: 'FOX-A4', title: 'Fox at Dusk (A4 print)', quantity: 5, price: 2400, currency: 'USD' },
      { sku: 'HERON-ORIG', title: 'Heron Original Watercolour', quantity: 1, price: 45000, currency: 'USD' },
      { sku: 'KOI-POST', title: 'Koi Postcard', quantity: 40, price: 325, currency: 'USD' },
      { sku: 'OWL-A3', title: 'Owl, Moon and Pines (A3 print)', quantity: 2, price: 3850, currency: 'USD' },
    ]);
    const table = run('catalog', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SKU\s+TITLE\s+STOCK\s+PRICE\s+CURRENCY$/m);
    expect(table.stdout).toMatch(/^HERON-ORIG\s+Heron Original Watercolour\s+1\s+450\.00\s+USD$/m);
  });

  it('names each bad line, imports the rest and exits non-zero', () => {
    const csv = path.join(dir, 'mixed.csv');
    fs.writeFileSync(
      csv,
      '\uFEFFsku,title,quantity,price,currency\r\nA,"Print, small",1,10.00,USD\r\nB,Bad stock,-3,10.00,USD\r\nC,Bad price,1,ten,USD\r\nD,Yen print,2,1500,JPY\r\n',
    );
    const result = run('catalog', 'import', csv);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('line 3: quantity "-3" is not a whole number of 0 or more');
    expect(result.stderr).toContain('line 4: price "ten" is not a number');
    expect(result.stderr).toMatch(/^art-sync: 2 row\(s\) were rejected/m);
    expect(list()).toEqual([
      { sku: 'A', title: 'Print, small', quantity: 1, price: 1000, currency: 'USD' },
      { sku: 'D', title: 'Yen print', quantity: 2, price: 1500, currency: 'JPY' },
    ]);
  });

  it('import --dry-run shows each change and each refused line, and changes nothing', () => {
    expect(run('catalog', 'import', sample).code).toBe(0);
    const before = list();
    const csv = path.join(dir, 'next.csv');
    fs.writeFileSync(csv, 'sku,title,quantity,price,currency\nFOX-A4,Fox at Dusk (A4 print),9,24.00,USD\nOWL-A3,"Owl, Moon and Pines (A3 print)",2,38.50,USD\nBAD,Bad,three,1.00,USD\nMOTH,Moth Print,5,8.00,USD\n');
    const preview = run('catalog', 'import', csv, '--dry-run');
    // A refused line makes it exit non-zero, as the import itself would.
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toBe(
      [
        `Dry run of ${csv}: 1 new, 1 updated, 1 unchanged, 1 line refused. Nothing was changed.`,
        '  line 2  FOX-A4  stock 5 → 9',
        '  line 5  MOTH  new: Moth Print, stock 5, 8.00 USD',
        '',
      ].join('\n'),
    );
    expect(preview.stderr).toContain('line 4: quantity "three" is not a whole number of 0 or more');
    expect(list()).toEqual(before);

    const json = run('catalog', 'import', csv, '--dry-run', '--json');
    const parsed = JSON.parse(json.stdout) as { counts: unknown; items: { sku: string }[]; errors: { line: number }[] };
    expect(parsed.counts).toEqual({ new: 1, update: 1, unchanged: 1, errors: 1 });
    expect(parsed.items.map((item) => item.sku)).toEqual(['FOX-A4', 'MOTH']);
    expect(parsed.errors.map((error) => error.line)).toEqual([4]);
    expect(list()).toEqual(before);
  });

  it('refuses a missing file or a wrong header in one line and writes nothing', () => {
    const missing = run('catalog', 'import', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^art-sync: There is no file .*nope\.csv\.\n$/);

    const wrong = path.join(dir, 'wrong.csv');
    fs.writeFileSync(wrong, 'sku,name,qty\nA,B,1\n');
    const refused = run('catalog', 'import', wrong, '--json');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/first line must be exactly/) },
    });
    expect(list()).toEqual([]);
  });

  it('set-stock changes one SKU and refuses bad values and unknown SKUs without writing', () => {
    expect(run('catalog', 'import', sample).code).toBe(0);
    const ok = run('catalog', 'set-stock', 'FOX-A4', '0');
    expect(ok).toMatchObject({ code: 0, stdout: 'FOX-A4: stock 5 → 0.\n' });

    const before = dbHash();
    for (const [args, message] of [
      [['FOX-A4', '-1'], /"-1" is not a valid stock/],
      [['FOX-A4', '2.5'], /"2\.5" is not a valid stock/],
      [['FOX-A4', 'ten'], /"ten" is not a valid stock/],
      [['FOX-A4', '1e3'], /"1e3" is not a valid stock/],
      [['NOPE', '3'], /There is no SKU "NOPE"/],
    ] as const) {
      const result = run('catalog', 'set-stock', ...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^art-sync: ${message.source}[^\\n]*\\n$`));
    }
    expect(dbHash()).toBe(before);
  });

  it('export then import into a fresh data folder round-trips the catalog', () => {
    expect(run('catalog', 'import', sample).code).toBe(0);
    const out = path.join(dir, 'out.csv');
    const exported = run('catalog', 'export', out);
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toBe('sku,title,quantity,price,currency');
    const original = list();

    dataDir = path.join(dir, 'other');
    const reimported = run('catalog', 'import', out);
    expect(reimported.code).toBe(0);
    expect(list()).toEqual(original);
  });

  it('status --json reports the docs/PRODUCT.md shape for an unconnected store', () => {
    const result = run('status', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      connected: false,
      shop: null,
      jobs: [
        { name: 'products', enabled: true, lastRunAt: null, lastResult: null, nextRunAt: null },
        { name: 'inventory', enabled: true, lastRunAt: null, lastResult: null, nextRunAt: null },
      ],
      budget: { usedToday: 0, limitPerDay: 5000, limitPerSecond: 5 },
      attention: 0,
    });
  });
});
