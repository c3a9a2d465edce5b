/**
 * `art-sync connect` and `art-sync disconnect` (docs/PRODUCT.md §6–§7). The keystring and shared secret
 * come from flags, else ETSY_KEYSTRING / ETSY_SHARED_SECRET, else a prompt (the secret is not echoed).
 * Neither they nor any token is ever printed; the one exception is the authorize address itself,
 * which carries the keystring as its public `client_id`, as Etsy requires.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { CoreApi } from '../core-api';
import { parseRedirectUri } from '../etsy/oauth/redirect-uri';
import { printJson, wantsJson, type CliContext } from './context';
import { withInterrupts } from './interrupts';

export interface ConnectOptions {
  browser: boolean;
  redirectUri?: string;
  keystring?: string;
  sharedSecret?: string;
}

export function registerConnectCommands(program: Command, ctx: CliContext): void {
  addConnectOptions(
    program
      .command('connect')
      .description('connect your Etsy shop (OAuth in the browser); keystring and shared secret from flags, ETSY_KEYSTRING / ETSY_SHARED_SECRET, or a prompt'),
  )
    .option('--json', 'machine-readable output: { connected, shop: { id, name } } (the address to open goes to stderr)')
    .action(async (options: ConnectOptions, command: Command) => {
      const json = wantsJson(command);
      const shop = await ctx.withCore(command, (core) => connectInteractively(ctx, core, options, json));
      if (json) printJson(ctx, { connected: true, shop: { id: shop.shopId, name: shop.shopName } });
      else ctx.io.stdout(`Connected to ${shop.shopName} (shop ${shop.shopId}).\n`);
    });

  program
    .command('disconnect')
    .description('forget the Etsy tokens and keys (keychain) and the connection; the catalog and history stay')
    .option('--json', 'machine-readable output: { disconnected, wasConnected }')
    .action(async (_options: unknown, command: Command) => {
      const { wasConnected } = await ctx.withCore(command, (core) => core.disconnect());
      if (wantsJson(command)) printJson(ctx, { disconnected: true, wasConnected });
      else if (wasConnected) ctx.io.stdout('Disconnected from Etsy: the keys and tokens are forgotten; the catalog and history stay.\n');
      else ctx.io.stdout('Etsy was not connected; there was nothing to forget.\n');
    });
}

/**
 * The interactive connect on an open core (also used by `daemon --connect`, which must hold the keys
 * in its own process when there is no keychain). Messages go to stderr; the authorize address to
 * stdout (stderr with --json). SIGINT/SIGTERM cancel it cleanly.
 */
export async function connectInteractively(ctx: CliContext, core: CoreApi, options: ConnectOptions, json: boolean): Promise<{ shopId: number; shopName: string }> {
  // Checked before anything is asked, so a typo fails at once instead of after the browser round trip.
  const redirectUri = options.redirectUri === undefined ? core.redirectUri().uri : parseRedirectUri(options.redirectUri).uri;
  const say = (line: string): void => ctx.io.stderr(`${line}\n`);

  return withInterrupts(ctx.interrupts, 'Connecting Etsy was cancelled.', async (signal) => {
    const keystring = await credential(ctx, {
      given: options.keystring ?? ctx.env.ETSY_KEYSTRING,
      what: 'Etsy keystring',
      flag: '--keystring',
      envName: 'ETSY_KEYSTRING',
      question: 'Etsy keystring (from "Your apps" on etsy.com/developers): ',
      hidden: false,
      signal,
    });
    const sharedSecret = await credential(ctx, {
      given: options.sharedSecret ?? ctx.env.ETSY_SHARED_SECRET,
      what: 'Etsy shared secret',
      flag: '--shared-secret',
      envName: 'ETSY_SHARED_SECRET',
      question: 'Etsy shared secret (not shown as you type): ',
      hidden: true,
      signal,
    });
    const interactive = ctx.terminal.interactive;
    const result = await core.connect({
      keystring,
      sharedSecret,
      redirectUri,
      // It worked, so it is the address registered in the Etsy app: remember it for next time.
      rememberRedirectUri: options.redirectUri !== undefined,
      signal,
      onAuthorizeUrl: (url) => {
        say(
          options.browser
            ? 'Opening your browser to connect Etsy. If it does not open, open this address yourself:'
            : 'Open this address in your browser and allow Art Sync on Etsy:',
        );
        // The address is the one line a script needs; with --json stdout is kept for the result.
        if (json) say(url);
        else ctx.io.stdout(`${url}\n`);
        say(`Waiting for Etsy to send you back to ${redirectUri} (Ctrl+C to cancel)…`);
      },
      ...(options.browser ? { openBrowser: async (url: string) => ctx.openUrl(url) } : {}),
      ...(interactive
        ? {
            // The manual path (docs/PRODUCT.md §6): races the loopback listener; taken down when it wins.
            pasteUrl: async (pasteSignal: AbortSignal) => {
              const both = AbortSignal.any([pasteSignal, signal]);
              for (;;) {
                let answer: string;
                try {
                  answer = (await ctx.terminal.prompt('Or paste the address your browser was redirected to: ', { signal: both })).trim();
                } catch (error) {
                  // End of input (Ctrl+D) only closes the manual path; the browser may still come back.
                  if (both.aborted) throw error;
                  return untilAborted(both);
                }
                if (answer !== '') return answer;
              }
            },
            // A slip (part of the address, an older attempt's) is said and the prompt comes again.
            onPasteRejected: (error: AppError) => say(error.action ? `${error.message} ${error.action}.` : error.message),
            onListenerUnavailable: (error: AppError) => say(`${error.message} Paste the address your browser is sent to instead.`),
          }
        : {}),
    });
    const status = await core.status();
    if (status.secretsInMemory) {
      say(`${status.secretsInMemory} Other art-sync commands started later (sync, daemon) will need to connect again.`);
    }
    return result;
  });
}

/** The connect flags, shared with `daemon --connect`. */
export function addConnectOptions(command: Command): Command {
  return command
    .option('--no-browser', 'print the address to open instead of opening the browser')
    .option('--redirect-uri <uri>', 'the redirect address registered in your Etsy app (default: the redirectUri setting); remembered after a successful connect')
    .option('--keystring <keystring>', 'your Etsy app’s keystring (default: $ETSY_KEYSTRING, else asked)')
    .option('--shared-secret <secret>', 'your Etsy app’s shared secret (default: $ETSY_SHARED_SECRET, else asked; a flag is visible to other users of this machine)');
}

async function credential(
  ctx: CliContext,
  spec: { given: string | undefined; what: string; flag: string; envName: string; question: string; hidden: boolean; signal: AbortSignal },
): Promise<string> {
  if (spec.given !== undefined && spec.given.trim() !== '') return spec.given;
  if (!ctx.terminal.interactive) {
    throw new AppError('INVALID_INPUT', `No ${spec.what} was given: pass ${spec.flag}, set ${spec.envName}, or run "art-sync connect" in a terminal to be asked.`, {
      action: `Set ${spec.envName}`,
    });
  }
  for (;;) {
    const answer = (await ctx.terminal.prompt(spec.question, { hidden: spec.hidden, signal: spec.signal })).trim();
    if (answer !== '') return answer;
  }
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(signal.reason instanceof AppError ? signal.reason : new AppError('CANCELLED', 'Cancelled.'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
