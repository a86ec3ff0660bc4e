import type { Logger } from 'pino';

/** Asked to stop: a run checks it between its steps (a chunk, a workspace) and ends early when set. */
export interface StopSignal {
  stopped: boolean;
}

/**
 * A job the server runs in the background: once shortly after start-up, then
 * at a fixed interval, never two runs at once. The timers never keep the
 * process alive; `stop()` clears them and asks a run in progress to end after
 * its current step. Event retention and the relevance peers' rebuild are
 * both one of these.
 */
export class BackgroundTask<T> {
  private firstRun: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private signal: StopSignal = { stopped: false };

  constructor(
    private readonly options: { name: string; firstRunDelayMs: number; intervalMs: number; logger: Pick<Logger, 'error'> },
    private readonly work: (signal: StopSignal) => Promise<T>,
  ) {}

  /** Starts the timers (again after a stop); a second start while running is a no-op. */
  start(): void {
    if (this.interval) return;
    const signal = (this.signal = { stopped: false });
    const tick = () => {
      if (this.running) return;
      this.run(signal).catch((error: unknown) => this.options.logger.error({ err: error }, `${this.options.name} failed`));
    };
    this.firstRun = setTimeout(tick, this.options.firstRunDelayMs);
    this.firstRun.unref();
    this.interval = setInterval(tick, this.options.intervalMs);
    this.interval.unref();
  }

  /** Stops the timers; a run in progress ends after its current step. */
  stop(): void {
    clearTimeout(this.firstRun);
    clearInterval(this.interval);
    this.firstRun = undefined;
    this.interval = undefined;
    this.signal.stopped = true;
  }

  /** Runs now, or waits for the run in progress. */
  runOnce(): Promise<T> {
    return this.running ?? this.run({ stopped: false });
  }

  private run(signal: StopSignal): Promise<T> {
    const run = this.work(signal).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }
}
