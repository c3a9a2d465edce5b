import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BaseWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileDialogs, MAX_CSV_BYTES, type DialogApi } from '../../src/main/shell/dialogs';

/**
 * The file-dialog adapter with a fake Electron dialog and real temporary files: what it asks the OS
 * for, what it reads and writes, and that a cancel, a bad file or a failed write change nothing.
 */
const WINDOW = { id: 1 } as unknown as BaseWindow;

function fakeDialog(answers: { open?: string[] | null; save?: string | null }) {
  const asked: { kind: 'open' | 'save'; window: BaseWindow; options: OpenDialogOptions | SaveDialogOptions }[] = [];
  const dialog: DialogApi = {
    async showOpenDialog(window, options) {
      asked.push({ kind: 'open', window, options });
      return answers.open ? { canceled: false, filePaths: answers.open } : { canceled: true, filePaths: [] };
    },
    async showSaveDialog(window, options) {
      asked.push({ kind: 'save', window, options });
      return answers.save ? { canceled: false, filePath: answers.save } : { canceled: true, filePath: '' };
    },
  };
  return { dialog, asked };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-dialogs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('openCsv', () => {
  it('asks for one CSV file, modal to the window, and returns its name (no folder) and text', async () => {
    const file = path.join(dir, 'stock.csv');
    fs.writeFileSync(file, 'sku,title,quantity,price,currency\nA,Å print,1,1.00,EUR\n');
    const { dialog, asked } = fakeDialog({ open: [file] });
    const files = createFileDialogs({ dialog, parentWindow: () => WINDOW });
    expect(await files.openCsv()).toEqual({ name: 'stock.csv', text: 'sku,title,quantity,price,currency\nA,Å print,1,1.00,EUR\n' });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.window).toBe(WINDOW);
    expect(asked[0]!.options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['csv'] }, { extensions: ['*'] }] });
  });

  it('returns null when the owner cancels', async () => {
    const files = createFileDialogs({ dialog: fakeDialog({ open: null }).dialog, parentWindow: () => WINDOW });
    expect(await files.openCsv()).toBeNull();
  });

  it('refuses a file that is not UTF-8, too large, missing or a folder, with a sentence naming it', async () => {
    const latin1 = path.join(dir, 'latin1.csv');
    fs.writeFileSync(latin1, Buffer.from([0x73, 0x6b, 0x75, 0xe9, 0x0a]));
    await expect(createFileDialogs({ dialog: fakeDialog({ open: [latin1] }).dialog, parentWindow: () => WINDOW }).openCsv()).rejects.toThrow(
      'latin1.csv is not UTF-8 text; save it as "CSV UTF-8" and import it again. Nothing was imported.',
    );
    const big = path.join(dir, 'big.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_CSV_BYTES + 1);
    await expect(createFileDialogs({ dialog: fakeDialog({ open: [big] }).dialog, parentWindow: () => WINDOW }).openCsv()).rejects.toThrow(/big\.csv is larger than 32 MB/);
    await expect(createFileDialogs({ dialog: fakeDialog({ open: [path.join(dir, 'gone.csv')] }).dialog, parentWindow: () => WINDOW }).openCsv()).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Art Sync could not open gone.csv; nothing was imported.',
    });
    await expect(createFileDialogs({ dialog: fakeDialog({ open: [dir] }).dialog, parentWindow: () => WINDOW }).openCsv()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('without a window asks nothing and says why', async () => {
    const { dialog, asked } = fakeDialog({ open: [] });
    await expect(createFileDialogs({ dialog, parentWindow: () => null }).openCsv()).rejects.toThrow('Open the Art Sync window to choose a file.');
    expect(asked).toEqual([]);
  });
});

describe('saveCsv', () => {
  it('suggests the name, asks before overwriting, and replaces the file whole with what contents() gives', async () => {
    const target = path.join(dir, 'catalog.csv');
    fs.writeFileSync(target, 'old');
    const { dialog, asked } = fakeDialog({ save: target });
    let produced = 0;
    const saved = await createFileDialogs({ dialog, parentWindow: () => WINDOW }).saveCsv('art-sync-catalog.csv', () => ((produced += 1), 'sku,title\n'));
    expect(saved).toEqual({ name: 'catalog.csv' });
    expect(fs.readFileSync(target, 'utf8')).toBe('sku,title\n');
    expect(produced).toBe(1);
    expect(asked[0]!.options).toMatchObject({ defaultPath: 'art-sync-catalog.csv', properties: ['createDirectory', 'showOverwriteConfirmation'] });
    expect(fs.readdirSync(dir)).toEqual(['catalog.csv']); // no temporary file left
  });

  it('a cancel writes nothing and does not even build the CSV', async () => {
    let produced = 0;
    const saved = await createFileDialogs({ dialog: fakeDialog({ save: null }).dialog, parentWindow: () => WINDOW }).saveCsv('x.csv', () => ((produced += 1), 'x'));
    expect(saved).toBeNull();
    expect(produced).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a failed write leaves the old file as it was and no temporary file, and says so', async () => {
    const target = path.join(dir, 'catalog.csv');
    fs.writeFileSync(target, 'old');
    const failing = {
      stat: fs.promises.stat,
      readFile: fs.promises.readFile,
      writeFile: (file: string, data: string) => fs.promises.writeFile(file, data),
      rename: async () => {
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
      rm: (file: string, options: { force: boolean }) => fs.promises.rm(file, options),
    };
    await expect(createFileDialogs({ dialog: fakeDialog({ save: target }).dialog, parentWindow: () => WINDOW, fs: failing }).saveCsv('x.csv', () => 'new')).rejects.toMatchObject({
      message: 'Art Sync could not write catalog.csv (ENOSPC); nothing was saved there.',
      action: 'Choose another folder',
    });
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['catalog.csv']);
  });
});
