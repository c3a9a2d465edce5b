/**
 * Switchable faults: latency, the next N requests failing with a 5xx, and connection resets — before the
 * request is handled, or after a write was applied (the "unknown outcome" the safe write protocol exists for)
 * — and a write answered with a gateway error but applied a little later ('apply-late': the 504 whose
 * write lands after the client's re-read, issue 12 item 11).
 */

export type FaultKind = 'status' | 'reset-before' | 'reset-after-apply' | 'apply-late';

export interface FaultRule {
  kind: FaultKind;
  remaining: number;
  status: number;
  /** The error text Etsy sends with a 'status' fault (default: a generic server error). */
  message: string | undefined;
  /** Restrict to one operation. Without it: 'status'/'reset-before' hit any API call, 'reset-after-apply'/'apply-late' any write. */
  operationId: string | undefined;
  /** 'apply-late': how long after the answer the write is applied. */
  delayMs: number;
}

export class SimFaults {
  latencyMs = 0;
  readonly latencyByOperation = new Map<string, number>();
  private rules: FaultRule[] = [];

  latencyFor(operationId: string): number {
    return this.latencyByOperation.get(operationId) ?? this.latencyMs;
  }

  add(kind: FaultKind, count: number, opts: { status?: number; operationId?: string; message?: string; delayMs?: number } = {}): void {
    if (!Number.isInteger(count) || count < 1) throw new Error('Fault count must be a positive integer');
    this.rules.push({ kind, remaining: count, status: opts.status ?? 500, message: opts.message, operationId: opts.operationId, delayMs: opts.delayMs ?? 0 });
  }

  /** Consumes one matching rule, if any. */
  take(kind: FaultKind, operationId: string, isWrite: boolean): FaultRule | undefined {
    const rule = this.rules.find(
      (r) => r.kind === kind && r.remaining > 0 && (r.operationId ? r.operationId === operationId : (kind !== 'reset-after-apply' && kind !== 'apply-late') || isWrite),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule;
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
    this.latencyByOperation.clear();
  }

  pending(): readonly FaultRule[] {
    return this.rules;
  }
}
