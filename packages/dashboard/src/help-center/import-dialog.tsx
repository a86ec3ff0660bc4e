import { IMPORT_LIMITS, type ErrorCode, type HelpCenterFile, type HelpImportJob, type ImportResult } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { Button } from '../ui/button.js';
import { Dialog, DialogActions, DialogClose } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatCount } from '../ui/format.js';
import { helpKey, helpPath } from './help-center-queries.js';

// How often the dialog asks how a running import is getting on.
const POLL_MS = 500;
const FILES = { one: 'file', other: 'files' };

/**
 * Imports Markdown files with front matter (a folder exported earlier, or
 * single articles), or the JSON of an export. All or nothing, as the server
 * does it: the server runs the import as a job, which the dialog follows,
 * showing how many articles are rendered.
 */
export function ImportDialog({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<HelpCenterFile[]>([]);
  const [readError, setReadError] = useState<string | null>(null);
  const [progress, setProgress] = useState<HelpImportJob['progress'] | null>(null);
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: async () => {
      setProgress(null);
      const started = await api<HelpImportJob>(`${helpPath(workspaceId)}/import`, { body: { files } });
      return followImport(workspaceId, started.jobId, setProgress);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: helpKey(workspaceId) }),
  });

  const pick = async (event: ChangeEvent<HTMLInputElement>, fromFolder: boolean) => {
    run.reset();
    setReadError(null);
    try {
      setFiles(await readFiles([...(event.target.files ?? [])], fromFolder));
    } catch (error) {
      setFiles([]);
      setReadError((error as Error).message);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };
  const fileErrors =
    run.error instanceof ApiError ? (run.error.details?.errors as Array<{ path: string; message: string }> | undefined) : undefined;

  return (
    <>
      <Button
        onClick={() => {
          setFiles([]);
          setReadError(null);
          run.reset();
          setOpen(true);
        }}
      >
        Import
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Import articles"
        description="Markdown files with YAML front matter: one folder per collection (described by _collection.md), one <slug>.md per article. Matched by slug: new ones are created, existing ones updated, nothing is deleted. If any file is wrong, nothing is saved."
      >
        <form className="stack" onSubmit={submit}>
          <div className="field">
            <label htmlFor="import-folder">A help center folder</label>
            {/* webkitdirectory: each file keeps its path inside the chosen folder (collection folders). */}
            <input id="import-folder" type="file" multiple {...{ webkitdirectory: '' }} onChange={(e) => void pick(e, true)} />
          </div>
          <div className="field">
            <label htmlFor="import-files">Or single files (.md articles, or an export's .json)</label>
            <input
              id="import-files"
              type="file"
              multiple
              accept=".md,.markdown,.json,text/markdown,application/json"
              onChange={(e) => void pick(e, false)}
            />
          </div>
          {readError && (
            <p role="alert" className="notice notice-error">
              {readError}
            </p>
          )}
          {files.length > 0 && (
            <p className="muted" aria-live="polite">
              {countOf(files.length, FILES)} ready:{' '}
              {files
                .slice(0, 5)
                .map((f) => f.path)
                .join(', ')}
              {files.length > 5 ? '…' : ''}
            </p>
          )}
          {run.isPending && progress && progress.total > 0 && (
            <p className="muted" role="status" aria-live="polite">
              Rendering articles: {progress.rendered} of {progress.total}
              <progress value={progress.rendered} max={progress.total} aria-label="Import progress" />
            </p>
          )}
          <ErrorMessage error={run.error} />
          {fileErrors && fileErrors.length > 1 && (
            <ul className="small">
              {fileErrors.slice(0, 20).map((e) => (
                <li key={e.path + e.message}>
                  <code>{e.path || '(all)'}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
          {run.data && (
            <p role="status" className="notice notice-ok">
              Imported: {countOf(run.data.collections.created, { one: 'collection', other: 'collections' })} created,{' '}
              {formatCount(run.data.collections.updated)} updated;{' '}
              {countOf(run.data.articles.created, { one: 'article', other: 'articles' })} created, {formatCount(run.data.articles.updated)}{' '}
              updated.
            </p>
          )}
          <DialogActions>
            <DialogClose asChild>
              <Button>{run.data ? 'Close' : 'Cancel'}</Button>
            </DialogClose>
            <Button type="submit" variant="primary" busy={run.isPending} disabled={files.length === 0 || run.isSuccess}>
              Import {files.length > 0 ? countOf(files.length, FILES) : ''}
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

// Polls the import job until it ends: its result, or its error as the API would have answered it.
async function followImport(
  workspaceId: string,
  jobId: string,
  onProgress: (progress: HelpImportJob['progress']) => void,
): Promise<ImportResult> {
  for (;;) {
    const job = await api<HelpImportJob>(`${helpPath(workspaceId)}/import/${encodeURIComponent(jobId)}`);
    onProgress(job.progress);
    if (job.status === 'succeeded' && job.result) return job.result;
    if (job.status === 'failed' && job.error) throw new ApiError(422, job.error.code as ErrorCode, job.error.message, job.error.details);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// Reads picked files into the import's { path, content } list: a folder's
// files keep their path below the chosen folder; an export's JSON is unpacked.
async function readFiles(picked: File[], fromFolder: boolean): Promise<HelpCenterFile[]> {
  const files: HelpCenterFile[] = [];
  for (const file of picked) {
    if (file.name.endsWith('.json')) {
      const parsed = JSON.parse(await file.text()) as { files?: HelpCenterFile[] };
      if (!Array.isArray(parsed.files)) throw new Error(`${file.name} is not a Lumio help center export (no "files" list).`);
      files.push(...parsed.files);
      continue;
    }
    if (!/\.(md|markdown)$/i.test(file.name)) continue;
    const relative = fromFolder && file.webkitRelativePath ? file.webkitRelativePath.split('/').slice(1).join('/') : file.name;
    files.push({ path: relative.replace(/\.markdown$/i, '.md'), content: await file.text() });
  }
  if (files.length === 0) throw new Error('No Markdown (.md) files or export (.json) among the chosen files.');
  if (files.length > IMPORT_LIMITS.files) throw new Error(`At most ${IMPORT_LIMITS.files} files per import; these are ${files.length}.`);
  return files;
}
