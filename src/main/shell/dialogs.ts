/**
 * The OS file dialogs for catalog CSV import and export (issue 15 item 3), as the CsvFiles the IPC
 * handlers use. Electron's `dialog` and the parent window are injected (types only here), so the
 * adapter is tested with a fake dialog and real temporary files (test/shell/dialogs.test.ts).
 *
 * Paths never leave main: the page gets the file's name to show, and no channel accepts a path. The
 * file is read whole (refused above MAX_CSV_BYTES, and when it is not UTF-8 text), and an export is
 * written to a temporary file next to the target and renamed over it, so a full disk or a crash never
 * leaves half a CSV where the owner's file was.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BaseWindow, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { AppError } from '../../shared/errors';
import type { CsvFiles } from '../desktop/ipc-handlers';

/** The part of Electron's `dialog` used here (its window-first overloads). */
export interface DialogApi {
  showOpenDialog(window: BaseWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(window: BaseWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

/** The file system calls the adapter makes (node:fs/promises by default). */
export interface DialogFileSystem {
  stat(file: string): Promise<{ size: number; isFile(): boolean }>;
  readFile(file: string): Promise<Uint8Array>;
  writeFile(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: boolean }): Promise<void>;
}

export interface FileDialogsOptions {
  dialog: DialogApi;
  /** The window the dialog belongs to (modal to it); null when there is none. */
  parentWindow(): BaseWindow | null;
  fs?: DialogFileSystem;
}

/** 20,000 variants export to about 1.5 MB; anything past this is not a catalog CSV. */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;

const CSV_FILTERS = [
  { name: 'CSV files', extensions: ['csv'] },
  { name: 'All files', extensions: ['*'] },
];

export function createFileDialogs(options: FileDialogsOptions): CsvFiles {
  const files: DialogFileSystem = options.fs ?? fs;
  const parent = (): BaseWindow => {
    const window = options.parentWindow();
    if (window === null) throw new AppError('NOT_FOUND', 'Open the Art Sync window to choose a file.');
    return window;
  };

  return {
    async openCsv() {
      const answer = await options.dialog.showOpenDialog(parent(), {
        title: 'Import catalog CSV',
        buttonLabel: 'Preview import',
        properties: ['openFile'],
        filters: CSV_FILTERS,
      });
      const file = answer.canceled ? undefined : answer.filePaths[0];
      if (file === undefined) return null;
      const name = path.basename(file);
      const stat = await files.stat(file).catch((cause: unknown) => {
        throw new AppError('NOT_FOUND', `Art Sync could not open ${name}; nothing was imported.`, { cause });
      });
      if (!stat.isFile()) throw new AppError('INVALID_INPUT', `${name} is not a file; nothing was imported.`);
      if (stat.size > MAX_CSV_BYTES) {
        throw new AppError('INVALID_INPUT', `${name} is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB, too large for a catalog CSV; nothing was imported.`);
      }
      const bytes = await files.readFile(file).catch((cause: unknown) => {
        throw new AppError('NOT_FOUND', `Art Sync could not read ${name}; nothing was imported.`, { cause });
      });
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (cause) {
        throw new AppError('INVALID_INPUT', `${name} is not UTF-8 text; save it as "CSV UTF-8" and import it again. Nothing was imported.`, { cause });
      }
      return { name, text };
    },

    async saveCsv(suggestedName, contents) {
      const answer = await options.dialog.showSaveDialog(parent(), {
        title: 'Export catalog CSV',
        buttonLabel: 'Export',
        defaultPath: suggestedName,
        filters: CSV_FILTERS,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (answer.canceled || !answer.filePath) return null;
      const target = answer.filePath;
      const name = path.basename(target);
      const temporary = path.join(path.dirname(target), `.${name}.${process.pid}.${Date.now()}.tmp`);
      try {
        await files.writeFile(temporary, contents());
        await files.rename(temporary, target);
      } catch (cause) {
        await files.rm(temporary, { force: true }).catch(() => undefined);
        if (cause instanceof AppError) throw cause;
        throw new AppError('INVALID_INPUT', `Art Sync could not write ${name} (${(cause as NodeJS.ErrnoException).code ?? 'write failed'}); nothing was saved there.`, {
          action: 'Choose another folder',
          cause,
        });
      }
      return { name };
    },
  };
}
