import { describe, expect, it } from 'vitest';
import { EVENT_QUEUE_DEFAULTS, EventQueue, type EventQueueOptions, type EventQueueTimers } from './event-queue.js';

interface Scheduled {
  fn: () => void;
  ms: number;
  done: boolean;
}

/** Records scheduled callbacks so a test runs them by hand instead of waiting. */
function fakeTimers() {
  const all: Scheduled[] = [];
  const timers: EventQueueTimers = {
    set(fn, ms) {
      const timer: Scheduled = { fn, ms, done: false };
      all.push(timer);
      return timer;
    },
    clear(handle) {
      (handle as Scheduled).done = true;
    },
  };
  const pending = () => all.filter((t) => !t.done);
  return {
    timers,
    all,
    pending,
    /** Runs the only pending callback, lets the flush it starts settle, and returns its delay. */
    async runNext(): Promise<number> {
      const live = pending();
      expect(live).toHaveLength(1);
      const timer = live[0]!;
      timer.done = true;
      timer.fn();
      await settle();
      return timer.ms;
    },
  };
}

// A macrotask runs after every pending microtask, so any flush started synchronously has finished.
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

type Outcome = boolean | 'reject' | 'throw';

/** A send that records its batches and answers with the scripted outcomes, then `true`. */
function fakeSend(outcomes: Outcome[] = []) {
  const batches: number[][] = [];
  const send = (batch: number[]): Promise<boolean> => {
    batches.push([...batch]);
    const outcome = outcomes.shift() ?? true;
    if (outcome === 'throw') throw new Error('send threw');
    if (outcome === 'reject') return Promise.reject(new Error('network down'));
    return Promise.resolve(outcome);
  };
  return { batches, send };
}

function setup(options: Partial<EventQueueOptions<number>> = {}, outcomes: Outcome[] = []) {
  const clock = fakeTimers();
  const sender = fakeSend(outcomes);
  const queue = new EventQueue<number>({ send: sender.send, timers: clock.timers, random: () => 1, ...options });
  return { clock, queue, batches: sender.batches };
}

function pushAll(queue: EventQueue<number>, from: number, to: number): void {
  for (let i = from; i <= to; i++) queue.push(i);
}

describe('EventQueue', () => {
  describe('batching', () => {
    it('schedules one interval flush after pushes and sends everything then', async () => {
      const { clock, queue, batches } = setup();
      pushAll(queue, 1, 3);
      expect(clock.pending()).toHaveLength(1);
      expect(batches).toEqual([]);

      expect(await clock.runNext()).toBe(EVENT_QUEUE_DEFAULTS.flushIntervalMs);
      expect(batches).toEqual([[1, 2, 3]]);
      expect(queue.size).toBe(0);
    });

    it('honours a custom flush interval', async () => {
      const { clock, queue } = setup({ flushIntervalMs: 250 });
      queue.push(1);
      expect(await clock.runNext()).toBe(250);
    });

    it('flushes at once when maxBatch events are queued', async () => {
      const { clock, queue, batches } = setup({ maxBatch: 3 });
      pushAll(queue, 1, 3);
      await settle();
      expect(batches).toEqual([[1, 2, 3]]);
      // The immediate flush covered what the interval timer was waiting for.
      expect(clock.pending()).toEqual([]);

      pushAll(queue, 4, 6);
      await settle();
      queue.push(7);
      expect(batches).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(queue.size).toBe(1);
      await clock.runNext();
      expect(batches.at(-1)).toEqual([7]);
    });

    it('sends a backlog in successive batches in order', async () => {
      const { queue, batches } = setup({ maxBatch: 2 }, [false]);
      pushAll(queue, 1, 2); // fails, so the rest queue up behind the back-off
      await settle();
      pushAll(queue, 3, 5);
      await queue.flush();
      expect(batches).toEqual([[1, 2], [1, 2], [3, 4], [5]]);
      expect(queue.size).toBe(0);
    });
  });

  describe('failure and retry', () => {
    it('puts a failed batch back at the front in order and retries it', async () => {
      const { clock, queue, batches } = setup({ maxBatch: 2 }, [true, false]);
      pushAll(queue, 1, 2); // immediate flush of [1, 2] succeeds
      await settle();
      pushAll(queue, 3, 4); // immediate flush of [3, 4] fails
      await settle();
      expect(batches).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(queue.size).toBe(2);

      queue.push(5);
      await clock.runNext();
      expect(batches.slice(2)).toEqual([[3, 4], [5]]);
      expect(queue.size).toBe(0);
    });

    it('stops a flush at the first failure and keeps the rest behind the failed batch', async () => {
      const { clock, queue, batches } = setup({ maxBatch: 2 }, [false, true, false]);
      pushAll(queue, 1, 2);
      await settle(); // [1, 2] failed
      pushAll(queue, 3, 6);
      await queue.flush(); // [1, 2] succeeds, [3, 4] fails
      expect(batches).toEqual([
        [1, 2],
        [1, 2],
        [3, 4],
      ]);
      expect(queue.size).toBe(4);

      await clock.runNext();
      expect(batches.slice(3)).toEqual([
        [3, 4],
        [5, 6],
      ]);
    });

    it('treats a rejecting send as a failure without throwing, and retries', async () => {
      const { clock, queue, batches } = setup({}, ['reject']);
      queue.push(1);
      await expect(queue.flush()).resolves.toBeUndefined();
      expect(queue.size).toBe(1);

      expect(await clock.runNext()).toBe(EVENT_QUEUE_DEFAULTS.retryBaseMs);
      expect(batches).toEqual([[1], [1]]);
      expect(queue.size).toBe(0);
    });

    it('treats a send that throws synchronously as a failure', async () => {
      const { clock, queue, batches } = setup({}, ['throw']);
      queue.push(1);
      await expect(queue.flush()).resolves.toBeUndefined();
      expect(queue.size).toBe(1);
      await clock.runNext();
      expect(batches).toEqual([[1], [1]]);
    });

    it('does not flush a full batch at once while backing off', async () => {
      const { clock, queue, batches } = setup({ maxBatch: 2 }, [false]);
      pushAll(queue, 1, 2);
      await settle();
      pushAll(queue, 3, 6);
      await settle();
      expect(batches).toEqual([[1, 2]]);
      expect(clock.pending()).toHaveLength(1);
      await clock.runNext();
      expect(batches.slice(1)).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
    });
  });

  describe('back-off', () => {
    async function retryDelays(random: number, failures: number, outcomes: Outcome[] = []): Promise<number[]> {
      const { clock, queue } = setup({ retryBaseMs: 100, retryMaxMs: 1000, random: () => random }, [
        ...Array<Outcome>(failures).fill(false),
        ...outcomes,
      ]);
      queue.push(1);
      await queue.flush();
      const delays: number[] = [];
      while (clock.pending().length > 0) delays.push(await clock.runNext());
      return delays;
    }

    it('doubles the delay after each failure up to the cap (random = 1)', async () => {
      expect(await retryDelays(1, 7)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    });

    it('jitters down to half the capped delay (random = 0)', async () => {
      expect(await retryDelays(0, 7)).toEqual([50, 100, 200, 400, 500, 500, 500]);
    });

    it('uses the defaults of 1 s doubling up to 60 s', async () => {
      const { clock, queue } = setup({}, Array<Outcome>(8).fill(false));
      queue.push(1);
      await queue.flush();
      const delays: number[] = [];
      while (clock.pending().length > 0) delays.push(await clock.runNext());
      expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    });

    it('resets after a success', async () => {
      const { clock, queue, batches } = setup({ retryBaseMs: 100, retryMaxMs: 1000 }, [false, false, false, true, false]);
      queue.push(1);
      await queue.flush();
      expect(await clock.runNext()).toBe(100);
      expect(await clock.runNext()).toBe(200);
      expect(await clock.runNext()).toBe(400); // succeeds
      expect(batches).toHaveLength(4);
      expect(queue.size).toBe(0);

      queue.push(2);
      expect(await clock.runNext()).toBe(EVENT_QUEUE_DEFAULTS.flushIntervalMs); // fails
      expect(await clock.runNext()).toBe(100);
      expect(batches.at(-1)).toEqual([2]);
    });
  });

  describe('bound', () => {
    it('drops the oldest events when full and counts them', async () => {
      const { queue, batches } = setup({ maxQueued: 3 });
      pushAll(queue, 1, 5);
      expect(queue.size).toBe(3);
      expect(queue.dropped).toBe(2);
      await queue.flush();
      expect(batches).toEqual([[3, 4, 5]]);
      expect(queue.dropped).toBe(2);
    });

    it('keeps the bound when a failed batch goes back to the front', async () => {
      const { queue, batches } = setup({ maxQueued: 3 }, [false]);
      pushAll(queue, 1, 2);
      const flushing = queue.flush(); // [1, 2] leaves the queue, then fails
      pushAll(queue, 3, 4);
      await flushing;
      expect(queue.size).toBe(3);
      expect(queue.dropped).toBe(1);
      await queue.flush();
      expect(batches.at(-1)).toEqual([2, 3, 4]);
    });

    it('defaults to 1000 events', () => {
      const { queue } = setup({ maxBatch: 10_000 });
      pushAll(queue, 1, 1005);
      expect(queue.size).toBe(EVENT_QUEUE_DEFAULTS.maxQueued);
      expect(queue.dropped).toBe(5);
    });
  });

  describe('flushOnHide', () => {
    it('hands the queue to beacon synchronously', () => {
      const beaconed: number[][] = [];
      const beacon = (batch: number[]) => {
        beaconed.push([...batch]);
        return true;
      };
      const { queue, batches } = setup({ beacon });
      pushAll(queue, 1, 5);
      queue.flushOnHide();
      expect(beaconed).toEqual([[1, 2, 3, 4, 5]]);
      expect(queue.size).toBe(0);
      expect(batches).toEqual([]);
    });

    it('splits the queue into batches and keeps what beacon refuses', async () => {
      const beaconed: number[][] = [];
      const answers = [true, false];
      const beacon = (batch: number[]) => {
        beaconed.push([...batch]);
        return answers.shift() ?? true;
      };
      const { queue } = setup({ maxBatch: 2, beacon }, [false]);
      pushAll(queue, 1, 2);
      await settle(); // fails, so the next pushes stay queued
      pushAll(queue, 3, 5);
      queue.flushOnHide();
      expect(beaconed).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(queue.size).toBe(3);

      queue.flushOnHide();
      expect(beaconed.slice(2)).toEqual([[3, 4], [5]]);
      expect(queue.size).toBe(0);
    });

    it('keeps the events when beacon throws', async () => {
      const { queue } = setup({
        beacon: () => {
          throw new Error('quota');
        },
      });
      queue.push(1);
      expect(() => queue.flushOnHide()).not.toThrow();
      expect(queue.size).toBe(1);
    });

    it('does nothing without beacon', () => {
      const { queue, batches } = setup();
      queue.push(1);
      queue.flushOnHide();
      expect(queue.size).toBe(1);
      expect(batches).toEqual([]);
    });
  });

  describe('concurrency', () => {
    it('shares one in-flight flush between concurrent calls', async () => {
      const batches: number[][] = [];
      let accept: (ok: boolean) => void = () => {};
      const send = (batch: number[]) => {
        batches.push([...batch]);
        return new Promise<boolean>((resolve) => (accept = resolve));
      };
      const clock = fakeTimers();
      const queue = new EventQueue<number>({ send, timers: clock.timers });
      queue.push(1);
      const first = queue.flush();
      const second = queue.flush();
      expect(second).toBe(first);
      expect(batches).toEqual([[1]]);

      accept(true);
      await Promise.all([first, second]);
      expect(batches).toEqual([[1]]);
    });

    it('sends events pushed while a batch is in flight after it, one send at a time', async () => {
      const batches: number[][] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const send = async (batch: number[]) => {
        batches.push([...batch]);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await settle();
        inFlight--;
        return true;
      };
      const queue = new EventQueue<number>({ send, maxBatch: 2, timers: fakeTimers().timers });
      queue.push(1);
      const flushing = queue.flush();
      pushAll(queue, 2, 4); // 2 and 3 reach maxBatch, whose flush joins the one in flight
      void queue.flush();
      await flushing;
      expect(batches).toEqual([[1], [2, 3], [4]]);
      expect(maxInFlight).toBe(1);
    });
  });

  describe('stop', () => {
    it('cancels the scheduled flush and schedules no more', async () => {
      const { clock, queue, batches } = setup();
      queue.push(1);
      expect(clock.pending()).toHaveLength(1);
      queue.stop();
      expect(clock.pending()).toEqual([]);
      queue.push(2);
      expect(clock.pending()).toEqual([]);

      await queue.flush();
      expect(batches).toEqual([[1, 2]]);
    });

    it('cancels a scheduled retry', async () => {
      const { clock, queue } = setup({}, [false]);
      queue.push(1);
      await queue.flush();
      expect(clock.pending()).toHaveLength(1);
      queue.stop();
      expect(clock.pending()).toEqual([]);
    });
  });

  it('uses setTimeout by default', async () => {
    const { batches, send } = fakeSend();
    const queue = new EventQueue<number>({ send, flushIntervalMs: 1 });
    queue.push(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([[1]]);
    queue.stop();
  });
});
