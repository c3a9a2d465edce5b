import type { Core } from '../../src/main/app';

/** The catalog's own export with some SKUs' values replaced: a CSV as an owner would edit it. */
export function exportCsvOf(core: Core, changes: Record<string, { quantity?: number }>): string {
  const lines = core.exportCatalogCsv().csv.split('\n');
  return lines
    .map((line, index) => {
      if (index === 0 || line === '') return line;
      const fields = line.split(',');
      const change = changes[fields[0]!];
      if (change?.quantity !== undefined) fields[2] = String(change.quantity);
      return fields.join(',');
    })
    .join('\n');
}
