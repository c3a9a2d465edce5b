/**
 * The interactive side of the terminal: whether there is one, and prompts. Prompts are written to
 * stderr so stdout stays clean for what scripts read. A hidden prompt (the Etsy shared secret) reads
 * in raw mode and echoes nothing, so the secret never lands in the terminal's scrollback.
 */
import readline from 'node:readline';
import { AppError } from '../../shared/errors';

export interface PromptOptions {
  /** Do not echo what is typed. */
  hidden?: boolean;
  /** Aborting takes the prompt down and rejects with the signal's reason (or CANCELLED). */
  signal?: AbortSignal;
}

export interface CliTerminal {
  /** stdin and stderr are both terminals: a person can be asked. */
  readonly interactive: boolean;
  /** stderr is a terminal: progress lines are welcome there. */
  readonly stderrIsTTY: boolean;
  /** Asks on stderr and resolves with one line typed on stdin (without the line ending). */
  prompt(question: string, options?: PromptOptions): Promise<string>;
  /** Everything piped into stdin, to its end (for input that is not typed, e.g. a password from a file). */
  readAll(): Promise<string>;
}

export function processTerminal(proc: NodeJS.Process = process): CliTerminal {
  const stdin = proc.stdin;
  const stderr = proc.stderr;
  return {
    interactive: stdin.isTTY === true && stderr.isTTY === true,
    stderrIsTTY: stderr.isTTY === true,
    prompt(question, options = {}) {
      return options.hidden ? readHidden(proc, question, options.signal) : readVisible(proc, question, options.signal);
    },
    async readAll() {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function cancelled(signal?: AbortSignal): AppError {
  return signal?.reason instanceof AppError ? signal.reason : new AppError('CANCELLED', 'Cancelled.');
}

function readVisible(proc: NodeJS.Process, question: string, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  const rl = readline.createInterface({ input: proc.stdin, output: proc.stderr, terminal: proc.stdin.isTTY === true });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (error: AppError | null, value = ''): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      rl.close();
      if (error) reject(error);
      else resolve(value);
    };
    const onAbort = (): void => {
      // Ends the half-written prompt line before whatever is printed next.
      proc.stderr.write('\n');
      finish(cancelled(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // In a terminal, readline catches Ctrl+C itself; pass it on as the signal the command listens for.
    rl.on('SIGINT', () => {
      proc.stderr.write('\n');
      finish(cancelled(signal));
      proc.kill(proc.pid, 'SIGINT');
    });
    rl.on('close', () => finish(new AppError('CANCELLED', 'Nothing was entered.')));
    rl.question(question, (answer) => finish(null, answer));
  });
}

function readHidden(proc: NodeJS.Process, question: string, signal?: AbortSignal): Promise<string> {
  const stdin = proc.stdin;
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  if (typeof stdin.setRawMode !== 'function') return readVisible(proc, question, signal);
  const wasRaw = stdin.isRaw;
  // Echo off before the question shows: someone typing right after it appears must not be echoed.
  stdin.setRawMode(true);
  proc.stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = (error: AppError | null): void => {
      stdin.off('data', onData);
      signal?.removeEventListener('abort', onAbort);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      proc.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onAbort = (): void => finish(cancelled(signal));
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') {
          // Raw mode swallows Ctrl+C: raise it ourselves so the command stops as it would otherwise.
          finish(new AppError('CANCELLED', 'Cancelled.'));
          proc.kill(proc.pid, 'SIGINT');
          return;
        }
        if (ch === '\u0004' && value === '') return finish(new AppError('CANCELLED', 'Nothing was entered.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
    stdin.resume();
  });
}
