import type { CsvFiles } from '../../src/main/desktop/ipc-handlers';

/**
 * A stand-in for the OS file dialogs (the shell's adapter is tested apart, test/shell/dialogs.test.ts):
 * `toOpen` is the file the owner "picks" next (null: they cancel); `saveAs` the name they save under
 * (null: they cancel); what was written is kept in `saved`.
 */
export interface FakeCsvFiles extends CsvFiles {
  toOpen: { name: string; text: string } | null;
  saveAs: string | null;
  saved: { name: string; text: string }[];
  opened: number;
}

export function fakeCsvFiles(): FakeCsvFiles {
  const files: FakeCsvFiles = {
    toOpen: null,
    saveAs: null,
    saved: [],
    opened: 0,
    async openCsv() {
      files.opened += 1;
      return files.toOpen;
    },
    async saveCsv(_suggestedName, contents) {
      if (files.saveAs === null) return null;
      files.saved.push({ name: files.saveAs, text: contents() });
      return { name: files.saveAs };
    },
  };
  return files;
}
