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
  /** The WAL is past `restartFrames`: checkpoint it with RESTART between two transactions. */
  onRestartNeeded(): void;
  /** A checkpoint failed: checkpoint in commits again. */
  onError(message: string): void;
}

// The worker's whole program. Eval'd, so it needs no file of its own beside the
// compiled server (and runs the same under the test runner). It gets the
// driver's resolved path: an eval'd worker resolves modules from the cwd.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
function checkpoint() {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // Only the writer restarts: from here, waiting for it could deadlock with
    // its transaction (a reader upgrading to writer gets SQLITE_BUSY at once).
    if (result && result.log > workerData.restartFrames) parentPort.postMessage({ restart: true });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
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
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopping: Promise<void> | undefined;

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
    this.worker.on('message', (message: { error?: string; restart?: boolean }) => {
      if (message.error) events.onError(message.error);
      else if (message.restart) events.onRestartNeeded();
    });
    this.worker.on('error', (error) => events.onError(error.message));
    // A checkpointer that is waiting for its next turn does not keep the process alive.
    this.worker.unref();
  }

  /** Stops the worker after its current checkpoint and closes its connection. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('exit', done);
      this.worker.on('message', (message: { stopped?: boolean }) => {
        if (message.stopped) void this.worker.terminate().then(done, done);
      });
      this.worker.postMessage('stop');
    });
    return this.stopping;
  }
}
