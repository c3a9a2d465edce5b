/**
 * `art-sync config list | get KEY | set KEY VALUE`: the validated settings (src/shared/settings.ts).
 * A value is parsed from text with the key's own schema, and the core validates the change with the
 * same schema the window's settings:update does, so both doors accept and refuse the same values.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import {
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  isSettingKey,
  parseSettingText,
  redactUrlPassword,
  type SettingKey,
  type Settings,
} from '../../shared/settings';
import { printJson, wantsJson, type CliContext } from './context';

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('validated settings: intervals, buffer, price sync, …');

  config
    .command('list')
    .description('every setting with its value (* = changed from the default)')
    .option('--json', 'machine-readable output: { key: value, … }')
    .action(async (_options: unknown, command: Command) => {
      const { settings, problems } = await ctx.withCore(command, (core) => ({ settings: core.getSettings(), problems: core.settingProblems() }));
      for (const problem of problems) ctx.io.stderr(`art-sync: ${problem}\n`);
      if (wantsJson(command)) {
        printJson(ctx, Object.fromEntries(SETTING_KEYS.map((key) => [key, shown(key, settings[key])])));
        return;
      }
      const width = Math.max(...SETTING_KEYS.map((key) => key.length));
      const lines = SETTING_KEYS.map((key) => {
        const changed = JSON.stringify(settings[key]) !== JSON.stringify(DEFAULT_SETTINGS[key]);
        return `${changed ? '*' : ' '} ${key.padEnd(width)}  ${formatValue(shown(key, settings[key]))}`;
      });
      ctx.io.stdout(`${lines.join('\n')}\n`);
    });

  config
    .command('get')
    .description('print one setting’s value')
    .argument('<key>', 'setting name (see "config list")')
    .option('--json', 'machine-readable output: { key, value, default }')
    .action(async (key: string, _options: unknown, command: Command) => {
      const name = settingKey(key);
      const value = await ctx.withCore(command, (core) => core.getSettings()[name]);
      if (wantsJson(command)) printJson(ctx, { key: name, value: shown(name, value), default: DEFAULT_SETTINGS[name] });
      else ctx.io.stdout(`${formatValue(shown(name, value))}\n`);
    });

  config
    .command('set')
    .description('change one setting (validated; nothing is stored if the value is refused)')
    .argument('<key>', 'setting name (see "config list")')
    .argument('<value>', 'new value: a number, true/false, or text')
    .option('--json', 'machine-readable output: { key, value, previous }')
    // So "set buffer -1" reaches the setting's own check (and its clear message) instead of "unknown option".
    .allowUnknownOption()
    .action(async (key: string, text: string, _options: unknown, command: Command) => {
      const name = settingKey(key);
      const parsed = parseSettingText(name, text);
      if (!parsed.ok) throw new AppError('INVALID_INPUT', sentence(parsed.message));
      const { previous, value } = await ctx.withCore(command, (core) => {
        const before = core.getSettings()[name];
        const after = core.updateSettings({ [name]: parsed.value } as Partial<Settings>)[name];
        return { previous: before, value: after };
      });
      if (wantsJson(command)) printJson(ctx, { key: name, value: shown(name, value), previous: shown(name, previous) });
      else if (JSON.stringify(previous) === JSON.stringify(value)) ctx.io.stdout(`${name} was already ${formatValue(shown(name, value))}.\n`);
      else ctx.io.stdout(`${name}: ${formatValue(shown(name, previous))} → ${formatValue(shown(name, value))}.\n`);
    });
}

function settingKey(key: string): SettingKey {
  if (isSettingKey(key)) return key;
  throw new AppError('INVALID_INPUT', `There is no setting called "${key.slice(0, 100)}". Valid settings: ${SETTING_KEYS.join(', ')}.`);
}

/** Settings are not secret, but a password typed into a URL by mistake must not be echoed back. */
function shown(key: SettingKey, value: Settings[SettingKey]): Settings[SettingKey] {
  return key === 'serverUrl' && typeof value === 'string' ? redactUrlPassword(value) : value;
}

function formatValue(value: unknown): string {
  if (value === '') return '(empty)';
  return String(value);
}

/** Ends the message with a full stop; the key keeps its exact spelling (it is what the user types). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
