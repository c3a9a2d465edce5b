/**
 * `art-sync backup [FILE]` and `art-sync restore [FILE]` (issue 13), for shop owners who keep their own
 * copies. The automatic backups and the restore of a damaged database live in store/backups.ts and
 * store/db-recovery.ts; these commands are front doors over them. See docs/DATA_SAFETY.md.
 */
import type { Command } from 'commander';
import { formatBytes, humanTime } from '../../shared/text';
import { dataFolderBackups, restoreDataFolder } from '../data-folder';
import { printJson, wantsJson, type CliContext } from './context';

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup [file]')
    .description('copy the database now, into the backups folder or to FILE (safe while Art Sync runs)')
    .option('--list', 'list the backups kept in the data folder instead')
    .option('--json', 'machine-readable output')
    .action(async (file: string | undefined, options: { list?: boolean }, command: Command) => {
      if (options.list) {
        const kept = dataFolderBackups(ctx.dataDir(command));
        const backups = kept.backups;
        if (wantsJson(command)) return printJson(ctx, kept);
        if (backups.length === 0) return ctx.io.stdout('No backups yet.\n');
        for (const b of backups) ctx.io.stdout(`${humanTime(b.takenAt)}  ${b.reason.padEnd(13)} ${formatBytes(b.bytes).padStart(9)}  ${b.path}\n`);
        return;
      }
      const { path: written } = await ctx.withCore(command, (core) => core.backupNow(file));
      if (wantsJson(command)) printJson(ctx, { backup: written });
      else ctx.io.stdout(`Backed up the database to ${written}.\n`);
    });

  program
    .command('restore [file]')
    .description('replace the database with FILE, or with the newest good backup; the replaced one is kept')
    .option('--json', 'machine-readable output')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const notice = restoreDataFolder(ctx.dataDir(command), { now: ctx.now(), ...(file ? { from: file } : {}) });
      // Opening it upgrades a backup from an older version and proves it opens.
      await ctx.withCore(command, () => undefined);
      if (wantsJson(command)) printJson(ctx, { restored: notice });
      else ctx.io.stdout(`${notice.message}\n`);
    });
}
