import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How the background checkpointer paces itself. */
export interface WalCheckpointerOptions {
  /** Between two passive checkpoints. */
  intervalMs?: number;
  /**
   * WAL frames (pages) past which the writer is asked to restart the WAL.
   * Under continuous writes a passive checkpoint rarely catches the last
   * frame, and SQLite starts the WAL over only when it has, so the WAL would
   * only grow.
   */
  restartFrames?: number;
}

/** What the checkpointer tells the connection that writes. */
export interface WalCheckpointerEvents {
  /**
   * The WAL is far past `restartFrames` although writers paused (a writer
   * outside the pause kept writing): checkpoint it with RESTART from the
   * writing connection, between two transactions.
   */
  onRestartNeeded(): void;
  /** A checkpoint failed: checkpoint in commits again. */
  onError(message: string): void;
}

// The worker's whole program. Eval'd, so it needs no file of its own beside the
// compiled server (and runs the same under the test runner). It gets the
// driver's resolved path: an eval'd worker resolves modules from the cwd.
//
// SQLite starts the WAL over when a writer begins a transaction and every
// frame has been checkpointed. Under continuous writes a passive checkpoint
// rarely gets there, so past restartFrames the worker asks the writers to
// pause, checkpoints to the end of the WAL, and lets them go on; the next
// transaction starts the WAL over. Neither the worker nor the writer ever
// waits for the other's lock: a RESTART checkpoint from here would, and a
// writer upgrading from reader then fails at once with SQLITE_BUSY.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const nap = new Int32Array(new SharedArrayBuffer(4));
let asked = false;
function passive() {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  return result || { log: 0, checkpointed: 0 };
}
function tick() {
  try {
    const result = passive();
    if (result.log > 4 * workerData.restartFrames) parentPort.postMessage({ restart: true });
    else if (result.log > workerData.restartFrames && !asked) {
      asked = true;
      parentPort.postMessage({ pause: true });
    }
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
}
function drain() {
  try {
    // A transaction that began before the pause ends within milliseconds.
    for (let attempt = 0; attempt < 40; attempt++) {
      const result = passive();
      if (result.log === result.checkpointed) break;
      Atomics.wait(nap, 0, 0, 5);
    }
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
  asked = false;
  parentPort.postMessage({ resume: true });
}
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'paused') return drain();
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/**
 * Checkpoints an SQLite database's WAL from a worker thread, with a connection
 * of its own, so the request path never does.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL
 * pages: it copies them into the database and fsyncs both files on the event
 * loop's thread. Under steady ingestion that stalled the whole server about a
 * third of the time (bench/analytics). A passive checkpoint on another
 * connection runs beside the writer (WAL mode lets it); the main connection
 * has `wal_autocheckpoint = 0`. Durability is unchanged: a commit is in the
 * WAL either way (synchronous = NORMAL), and the checkpoint moves it on.
 * While writers pause (see {@link WalCheckpointer.gate}) the event loop goes
 * on with everything else: parsing and checking the next requests.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopping: Promise<void> | undefined;
  private pause: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(file: string, options: WalCheckpointerOptions, events: WalCheckpointerEvents) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file,
        intervalMs: options.intervalMs ?? 250,
        restartFrames: options.restartFrames ?? 16_384,
      },
    });
    this.worker.on('message', (message: { error?: string; restart?: boolean; pause?: boolean; resume?: boolean }) => {
      if (message.error) {
        this.release();
        events.onError(message.error);
      } else if (message.restart) events.onRestartNeeded();
      else if (message.pause) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.pause = { promise, resolve };
        this.worker.postMessage('paused');
      } else if (message.resume) this.release();
    });
    this.worker.on('error', (error) => {
      this.release();
      events.onError(error.message);
    });
    // A checkpointer that is waiting for its next turn does not keep the process alive.
    this.worker.unref();
  }

  /**
   * Undefined while writers may write; a promise while the checkpointer asks
   * them to wait (a few milliseconds), which resolves when they may go on.
   * The group commit checks it before each transaction.
   */
  gate(): Promise<void> | undefined {
    return this.pause?.promise;
  }

  /** Stops the worker after its current checkpoint and closes its connection. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      const done = () => {
        this.release();
        resolve();
      };
      this.worker.once('exit', done);
      this.worker.on('message', (message: { stopped?: boolean }) => {
        if (message.stopped) void this.worker.terminate().then(done, done);
      });
      // Referenced again until it has stopped: otherwise a process with nothing
      // else to do exits while stop() is still awaited (exit code 13).
      this.worker.ref();
      this.worker.postMessage('stop');
    });
    return this.stopping;
  }

  private release(): void {
    this.pause?.resolve();
    this.pause = undefined;
  }
}
