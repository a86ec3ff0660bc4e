import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundTask, type StopSignal } from './background-task.js';

describe('BackgroundTask', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs after the first delay, then every interval, never two runs at once, and stop() asks the run in progress to end', async () => {
    vi.useFakeTimers();
    const logger = { error: vi.fn() };
    const signals: StopSignal[] = [];
    let release: () => void = () => {};
    const work = vi.fn((signal: StopSignal) => {
      signals.push(signal);
      return new Promise<number>((resolve) => {
        release = () => resolve(signals.length);
      });
    });
    const task = new BackgroundTask({ name: 'test task', firstRunDelayMs: 1_000, intervalMs: 10_000, logger }, work);
    task.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(1);
    // The interval fires while the first run is still going: no second run.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(work).toHaveBeenCalledTimes(1);
    // runOnce() waits for the run in progress rather than starting another.
    const once = task.runOnce();
    task.stop();
    expect(signals[0]!.stopped).toBe(true);
    release();
    await expect(once).resolves.toBe(1);
    // Stopped: the timers no longer fire.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(work).toHaveBeenCalledTimes(1);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('logs a failed run under its name and runs again at the next tick', async () => {
    vi.useFakeTimers();
    const logger = { error: vi.fn() };
    const work = vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(undefined);
    const task = new BackgroundTask({ name: 'test task', firstRunDelayMs: 10, intervalMs: 100, logger }, work);
    task.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'test task failed');
    await vi.advanceTimersByTimeAsync(100);
    expect(work).toHaveBeenCalledTimes(2);
    task.stop();
  });
});
