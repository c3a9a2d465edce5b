import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand, WorkerEvent, WorkerReply } from './worker-protocol';

type ReplyFor<Op extends WorkerCommand['op']> = Extract<WorkerReply, { ok: true; op: Op }>;

/** Parent side of the core worker: one command at a time, each answered once. */
export class CoreWorker {
  private readonly child: ChildProcess;
  private pending: { resolve(reply: WorkerReply): void; reject(error: Error): void } | null = null;
  /** Events the worker sends unasked (run start/end, for the latency day). */
  onEvent: ((event: WorkerEvent) => void) | null = null;

  constructor() {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'core-worker.ts');
    // ART_SYNC_BENCH_WORKER_FLAGS: extra Node flags for the worker while investigating (e.g. --expose-gc).
    const extra = (process.env.ART_SYNC_BENCH_WORKER_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
    this.child = fork(script, [], { execArgv: ['--import', 'tsx', ...extra], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: WorkerReply | WorkerEvent) => {
      if ('event' in reply) {
        this.onEvent?.(reply);
        return;
      }
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(reply);
    });
    this.child.on('exit', (code) => {
      const pending = this.pending;
      this.pending = null;
      pending?.reject(new Error(`The core worker exited (code ${code ?? 'null'}).`));
    });
  }

  async call<Op extends WorkerCommand['op']>(command: Extract<WorkerCommand, { op: Op }>): Promise<ReplyFor<Op>> {
    if (this.pending) throw new Error('The core worker is busy.');
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(command);
    });
    if (!reply.ok) throw new Error(`Core worker failed at ${reply.op}: ${reply.error}`);
    return reply as ReplyFor<Op>;
  }

  async stop(): Promise<ReplyFor<'stop'>> {
    const reply = await this.call({ op: 'stop' });
    await new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    return reply;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
