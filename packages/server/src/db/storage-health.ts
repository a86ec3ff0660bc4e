import type { Logger } from 'pino';
import { classifyStorageFault, storageFaultAdvice, type StorageFault } from './storage-fault.js';

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
  // A fault line was logged and its recovery not yet: only then is a recovery worth a line.
  private recoveryOwed = false;

  constructor(
    private readonly logger: Pick<Logger, 'error' | 'info'>,
    private readonly options: { intervalMs?: number; now?: () => number } = {},
  ) {}

  /** The current fault, or undefined while writes succeed. */
  get current(): (StorageFault & { since: number }) | undefined {
    return this.fault;
  }

  /**
   * Records a failed write (or probe). Logged at most once per interval, even
   * when writes flap between failing and succeeding (a nearly full disk lets
   * small commits through), with the count of repeats left out since the last line.
   */
  recordFault(fault: StorageFault, context: Record<string, unknown> = {}): void {
    const now = this.now();
    this.fault = { ...fault, since: this.fault?.since ?? now };
    if (now - this.lastLoggedAt < (this.options.intervalMs ?? STORAGE_FAULT_LOG_INTERVAL_MS)) {
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
    this.recoveryOwed = true;
  }

  /**
   * For writers that run in the background (buffered logs, flushes): records
   * `error` if it is a storage fault and answers true, so the caller logs only
   * other errors itself.
   */
  recordIfFault(error: unknown, context: Record<string, unknown> = {}): boolean {
    const fault = classifyStorageFault(error);
    if (fault) this.recordFault(fault, context);
    return fault !== undefined;
  }

  /** Records a committed write: a remembered fault is over. */
  recordSuccess(): void {
    if (!this.fault) return;
    if (this.recoveryOwed) {
      this.logger.info(
        { storageFault: { kind: this.fault.kind, code: this.fault.code }, downMs: this.now() - this.fault.since },
        'storage available again: writes succeed',
      );
      this.recoveryOwed = false;
    }
    this.fault = undefined;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
