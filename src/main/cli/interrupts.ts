/**
 * SIGINT / SIGTERM for long CLI commands (connect waits for the browser, sync, daemon). The first
 * signal asks the command to stop cleanly (listeners abort their work and the command returns); a
 * second one while the command is still winding down exits at once, as a user pressing Ctrl+C twice
 * expects. Outside `listen`, Node's default handling applies.
 */
import { AppError } from '../../shared/errors';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface InterruptSource {
  /** Calls `onInterrupt` on each SIGINT/SIGTERM until the returned function is called. */
  listen(onInterrupt: (signal: InterruptSignal) => void): () => void;
}

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

export function processInterrupts(proc: NodeJS.Process = process): InterruptSource {
  return {
    listen(onInterrupt) {
      let received = 0;
      const handler = (signal: InterruptSignal): void => {
        received += 1;
        // 128 + signal number, the shell convention for "ended by a signal".
        if (received > 1) proc.exit(signal === 'SIGINT' ? 130 : 143);
        onInterrupt(signal);
      };
      for (const signal of SIGNALS) proc.on(signal, handler);
      return () => {
        for (const signal of SIGNALS) proc.off(signal, handler);
      };
    },
  };
}

/**
 * Runs `fn` with a signal that aborts on SIGINT/SIGTERM; the listeners are removed afterwards. The
 * abort reason is a CANCELLED AppError with `message`, so whatever rejects with the reason reads well.
 */
export async function withInterrupts<T>(
  source: InterruptSource,
  message: string,
  fn: (signal: AbortSignal, interrupted: () => InterruptSignal | null) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let received: InterruptSignal | null = null;
  const stop = source.listen((signal) => {
    received ??= signal;
    controller.abort(new AppError('CANCELLED', message));
  });
  try {
    return await fn(controller.signal, () => received);
  } finally {
    stop();
  }
}
