import type { Logger } from 'pino';
import { storageFaultAdvice, type StorageFault } from './storage-fault.js';

/** How often a continuing storage fault is logged again, with the count of repeats in between. */
export const STORAGE_FAULT_LOG_INTERVAL_MS = 30_000;

/**
 * The server's memory of its storage: the last fault seen and since when, until
 * a write succeeds again. It also keeps the log readable during an outage: a
 * full disk fails every write, and a line per request buried the cause (8,606
 * lines in issue 15), so a fault is logged when it starts, then at most once
 * per interval with how many repeats were left out, and once when it ends.
 */
export class StorageHealth {
  private fault: (StorageFault & { since: number }) | undefined;
  private lastLoggedAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<Logger, 'error' | 'info'>,
    private readonly options: { intervalMs?: number; now?: () => number } = {},
  ) {}

  /** The current fault, or undefined while writes succeed. */
  get current(): (StorageFault & { since: number }) | undefined {
    return this.fault;
  }

  /** Records a failed write (or probe) and logs it unless logged within the interval. */
  recordFault(fault: StorageFault, context: Record<string, unknown> = {}): void {
    const now = this.now();
    const changed = !this.fault || this.fault.code !== fault.code;
    this.fault = { ...fault, since: changed ? now : this.fault!.since };
    if (!changed && now - this.lastLoggedAt < (this.options.intervalMs ?? STORAGE_FAULT_LOG_INTERVAL_MS)) {
      this.suppressed++;
      return;
    }
    this.logger.error(
      {
        storageFault: { kind: fault.kind, code: fault.code, cause: fault.message },
        ...(this.suppressed ? { repeatsNotLogged: this.suppressed } : {}),
        ...context,
      },
      `storage unavailable: ${fault.message} (${fault.code}); ${storageFaultAdvice(fault.kind)}`,
    );
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }

  /** Records a committed write: a remembered fault is over. */
  recordSuccess(): void {
    if (!this.fault) return;
    this.logger.info(
      {
        storageFault: { kind: this.fault.kind, code: this.fault.code },
        downMs: this.now() - this.fault.since,
        repeatsNotLogged: this.suppressed,
      },
      'storage available again: writes succeed',
    );
    this.fault = undefined;
    this.suppressed = 0;
    this.lastLoggedAt = -Infinity;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
