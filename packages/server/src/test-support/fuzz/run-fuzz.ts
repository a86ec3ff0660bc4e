import { ErrorCodes, isErrorCode } from '@lumio/protocol';
import { describeCase, generateCase, requestFor, type FuzzRoute } from './fuzz-cases.js';
import type { FuzzWorld } from './fuzz-world.js';

/** What one world answered to a case. */
export interface FuzzAnswer {
  status: number;
  code: string | undefined;
}

/** A case that broke a rule: a 5xx, an unregistered or mismatched code, or worlds that disagree. */
export interface FuzzFailure {
  kind: '5xx' | 'unstable_code' | 'disagreement';
  repro: string;
  answers: Record<string, FuzzAnswer & { message?: string }>;
}

/** The outcome of a run. */
export interface FuzzReport {
  seed: number;
  cases: number;
  /** How many answers of each `status code` (over every world). */
  counts: Record<string, number>;
  failures: FuzzFailure[];
  durationMs: number;
}

/** The route table of a world's app as the fuzzer uses it (OPTIONS preflights included). */
export function fuzzRoutes(world: FuzzWorld): FuzzRoute[] {
  return world.t.routes.map((r) => ({ method: r.method, url: r.url, scope: r.lumio?.scope }));
}

/**
 * Sends `cases` generated requests to every world, case by case in the same
 * order, and checks each answer: never 5xx; a 4xx carries a registered code of
 * that status; every world answers the same status and code. `onlyIndex`
 * replays one case.
 */
export async function runFuzz(
  worlds: FuzzWorld[],
  options: { seed: number; cases: number; first?: number; onProgress?: (done: number) => void },
): Promise<FuzzReport> {
  const started = Date.now();
  const routes = fuzzRoutes(worlds[0]!);
  const counts: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  const first = options.first ?? 0;
  for (let index = first; index < first + options.cases; index++) {
    const fuzzCase = generateCase(routes, options.seed, index);
    const answers: FuzzFailure['answers'] = {};
    for (const world of worlds) {
      const response = await world.t.app.inject(requestFor(fuzzCase, world));
      let code: string | undefined;
      let message: string | undefined;
      // HEAD has no body, and a page for people (demo mode's "no demo") answers HTML: status only.
      const page = String(response.headers['content-type'] ?? '').startsWith('text/html');
      if (page) code = '(page)';
      else if (response.statusCode >= 400 && fuzzCase.route.method !== 'HEAD') {
        try {
          const body = JSON.parse(response.body);
          code = body?.error?.code;
          message = body?.error?.message;
        } catch {
          code = '(not JSON)';
        }
      }
      answers[world.dialect] = { status: response.statusCode, code, ...(message ? { message } : {}) };
      const key = `${response.statusCode} ${code ?? ''}`.trim();
      counts[key] = (counts[key] ?? 0) + 1;
    }
    const repro = describeCase(fuzzCase, worlds[0]!);
    const list = Object.values(answers);
    // email_send_failed (502) is the SMTP server's refusal relayed, not a fault of Lumio's: a fuzzed PUT of the instance's
    // email settings may point them at a closed port, and every email afterwards is refused.
    if (list.some((a) => a.status >= 500 && a.code !== 'email_send_failed')) failures.push({ kind: '5xx', repro, answers });
    else if (list.some((a) => a.status >= 400 && fuzzCase.route.method !== 'HEAD' && !stableCode(a)))
      failures.push({ kind: 'unstable_code', repro, answers });
    // A fixed limit (20 reveals a minute) counts in wall-clock windows of each app's own: not a database difference.
    else if (!list.some((a) => a.code === 'rate_limited') && list.some((a) => a.status !== list[0]!.status || a.code !== list[0]!.code))
      failures.push({ kind: 'disagreement', repro, answers });
    if (options.onProgress && (index - first + 1) % 500 === 0) options.onProgress(index - first + 1);
  }
  return { seed: options.seed, cases: options.cases, counts, failures, durationMs: Date.now() - started };
}

function stableCode(answer: FuzzAnswer): boolean {
  if (answer.code === '(page)') return true;
  return isErrorCode(answer.code) && ErrorCodes[answer.code].status === answer.status;
}

/** The report as text: counts per status and code, then each failure with its repro. */
export function formatReport(report: FuzzReport, worlds: string[]): string {
  const lines = [
    `differential fuzz: seed ${report.seed}, ${report.cases} cases × ${worlds.join(' + ')}, ${(report.durationMs / 1000).toFixed(1)} s`,
    ...Object.entries(report.counts)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `  ${String(n).padStart(6)}  ${key}`),
    `5xx: ${report.failures.filter((f) => f.kind === '5xx').length}, unstable codes: ${report.failures.filter((f) => f.kind === 'unstable_code').length}, disagreements: ${report.failures.filter((f) => f.kind === 'disagreement').length}`,
  ];
  for (const failure of report.failures.slice(0, 30))
    lines.push(`  [${failure.kind}] ${failure.repro}\n      → ${JSON.stringify(failure.answers)}`);
  if (report.failures.length > 30) lines.push(`  …and ${report.failures.length - 30} more`);
  lines.push(`replay: npm run fuzz -- --seed ${report.seed} --cases ${report.cases}`);
  return lines.join('\n');
}
