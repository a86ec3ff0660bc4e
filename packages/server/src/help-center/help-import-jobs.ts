import type { HelpImportJob, ImportResult } from '@lumio/protocol';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import type { Logger } from 'pino';
import type { Clock } from '../http/app-deps.js';

/** How long a finished job can still be read. */
export const FINISHED_JOB_TTL_MS = 60 * 60 * 1000;
/** Finished jobs kept per workspace (the newest). */
const FINISHED_JOBS_PER_WORKSPACE = 20;

interface Entry {
  workspaceId: string;
  job: HelpImportJob;
}

/** What a job runs: reports progress, saves all or nothing, resolves with the counts. */
export type ImportWork = (progress: (rendered: number, total: number) => void) => Promise<ImportResult>;

/**
 * Help center imports running in the background, so that rendering up to
 * 2,000 articles neither holds a request open nor the event loop. Jobs live
 * in this process's memory: behind a load balancer, `GET …/help/import/:jobId`
 * must reach the process that answered the POST (sticky sessions), and a
 * restart forgets them (the import itself is one transaction: it either
 * committed or saved nothing). A job belongs to its workspace: another
 * workspace's id is `not_found`. One import runs per workspace at a time.
 */
export class HelpImportJobs {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts an import; `conflict` while another runs in the same workspace. */
  start(workspaceId: string, work: ImportWork): HelpImportJob {
    this.sweep();
    for (const entry of this.jobs.values())
      if (entry.workspaceId === workspaceId && entry.job.status === 'running')
        throw new LumioError('conflict', `An import is already running in this workspace (${entry.job.jobId}); wait for it to finish.`, {
          jobId: entry.job.jobId,
        });
    const job: HelpImportJob = {
      jobId: newId('imp', 12),
      status: 'running',
      progress: { rendered: 0, total: 0 },
      result: null,
      error: null,
      createdAt: this.clock.now(),
      finishedAt: null,
    };
    this.jobs.set(job.jobId, { workspaceId, job });
    // The promise is followed through the job's state, never awaited by the request.
    void work((rendered, total) => {
      job.progress = { rendered, total };
    }).then(
      (result) => this.finish(job, { status: 'succeeded', result }),
      (error: unknown) => {
        if (!(error instanceof LumioError)) this.logger.error({ err: error, jobId: job.jobId, workspaceId }, 'help import failed');
        this.finish(job, { status: 'failed', error: errorOf(error) });
      },
    );
    return { ...job };
  }

  /** A job of this workspace, as it stands; `not_found` for an unknown id or another workspace's. */
  get(workspaceId: string, jobId: string): HelpImportJob {
    this.sweep();
    const entry = this.jobs.get(jobId);
    if (!entry || entry.workspaceId !== workspaceId) throw new LumioError('not_found', 'No such import job in this workspace.');
    return { ...entry.job, progress: { ...entry.job.progress } };
  }

  /** Waits for every running job (shutdown, tests). */
  async settled(): Promise<void> {
    while ([...this.jobs.values()].some((e) => e.job.status === 'running')) await new Promise((r) => setTimeout(r, 20));
  }

  private finish(job: HelpImportJob, outcome: Partial<HelpImportJob>): void {
    Object.assign(job, outcome, { finishedAt: this.clock.now() });
  }

  // Forgets finished jobs past their time, and all but the newest few of a workspace.
  private sweep(): void {
    const now = this.clock.now();
    const finished = new Map<string, Entry[]>();
    for (const [id, entry] of this.jobs) {
      if (entry.job.finishedAt === null) continue;
      if (now - entry.job.finishedAt > FINISHED_JOB_TTL_MS) this.jobs.delete(id);
      else finished.set(entry.workspaceId, [...(finished.get(entry.workspaceId) ?? []), entry]);
    }
    for (const entries of finished.values())
      for (const entry of entries.slice(0, Math.max(0, entries.length - FINISHED_JOBS_PER_WORKSPACE))) this.jobs.delete(entry.job.jobId);
  }
}

// What the job reports: a LumioError as the API would answer it; anything else as internal_error (its detail is in the log).
function errorOf(error: unknown): HelpImportJob['error'] {
  if (error instanceof LumioError) return { code: error.code, message: error.message, details: error.details };
  return { code: 'internal_error', message: 'The import failed on the server; nothing was saved. Quote the job id when reporting it.' };
}
