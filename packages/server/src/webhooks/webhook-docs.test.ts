// docs/webhooks.md shows how to verify a delivery in the five languages of
// docs/signing.md. Each snippet is run here, as printed, against the shared
// test vectors with that language's own toolchain: a doc that drifts from
// the signature rule (or stops refusing replays) fails this test. As in
// signing-docs.test.ts, a missing toolchain is skipped with a message unless
// LUMIO_REQUIRE_DOC_LANGUAGES=1 (set by .ci/run, which installs them all).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const doc = fs.readFileSync(new URL('../../../../docs/webhooks.md', import.meta.url), 'utf8');
const { vectors } = JSON.parse(
  fs.readFileSync(new URL('../../../protocol/test-vectors/webhook-signatures.json', import.meta.url), 'utf8'),
) as { vectors: Array<{ name: string; secret: string; body: string; header: string; now: number; valid: boolean }> };
const input = JSON.stringify(vectors.map(({ secret, body, header, now }) => ({ secret, body, header, now })));
const expected = vectors.map((v) => String(v.valid));

/** The code block of a language under its "### Heading" of "## Verifying a delivery". */
function snippet(heading: string, fence: string): string {
  const verifying = doc.split(/^## /m).find((s) => s.startsWith('Verifying a delivery\n'));
  if (!verifying) throw new Error('docs/webhooks.md has no "## Verifying a delivery" section');
  const section = verifying.split(/^### /m).find((s) => s.startsWith(`${heading}\n`));
  if (!section) throw new Error(`docs/webhooks.md has no "### ${heading}" section`);
  const block = new RegExp('```' + fence + '\\n([\\s\\S]*?)```').exec(section)?.[1];
  if (!block) throw new Error(`no ${fence} block under "### ${heading}"`);
  return block;
}

function available(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): string[] {
  const result = spawnSync(command, args, { input, encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env } });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n');
}

const LANGUAGES: Array<{ name: string; probe: [string, string[]]; verdicts: () => string[] }> = [
  {
    name: 'Node.js',
    probe: [process.execPath, ['--version']],
    verdicts: () => {
      const code = snippet('Node.js', 'js')
        .replace(
          "import { createHmac, timingSafeEqual } from 'node:crypto';",
          "const { createHmac, timingSafeEqual } = require('node:crypto');",
        )
        .replace('export function', 'function');
      const driver = `\nfor (const v of JSON.parse(require('node:fs').readFileSync(0, 'utf8'))) console.log(String(verifyLumioWebhook(Buffer.from(v.body, 'utf8'), v.header, v.secret, v.now)));\n`;
      return run(process.execPath, ['-e', code + driver]);
    },
  },
  {
    name: 'Python',
    probe: ['python3', ['--version']],
    verdicts: () =>
      run('python3', [
        '-c',
        `${snippet('Python', 'python')}\nimport json, sys\nfor v in json.load(sys.stdin):\n    print(str(verify_lumio_webhook(v["body"].encode("utf-8"), v["header"], v["secret"], v["now"])).lower())\n`,
      ]),
  },
  {
    name: 'Ruby',
    probe: ['ruby', ['--version']],
    verdicts: () =>
      run('ruby', [
        '-e',
        `${snippet('Ruby', 'ruby')}\nrequire "json"\nJSON.parse($stdin.read).each { |v| puts verify_lumio_webhook(v["body"], v["header"], v["secret"], now: v["now"]) }\n`,
      ]),
  },
  {
    name: 'PHP',
    probe: ['php', ['--version']],
    verdicts: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-php-'));
      const file = path.join(dir, 'verify.php');
      fs.writeFileSync(
        file,
        `${snippet('PHP', 'php')}\nforeach (json_decode(stream_get_contents(STDIN), true) as $v) { echo verify_lumio_webhook($v['body'], $v['header'], $v['secret'], $v['now']) ? 'true' : 'false', "\\n"; }\n`,
      );
      return run('php', [file]);
    },
  },
  {
    name: 'Go',
    probe: ['go', ['version']],
    verdicts: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-go-'));
      fs.writeFileSync(path.join(dir, 'verify.go'), snippet('Go', 'go').replace('package lumio', 'package main'));
      fs.writeFileSync(
        path.join(dir, 'main.go'),
        [
          'package main',
          'import ("encoding/json"; "fmt"; "os"; "time")',
          'func main() {',
          '  var vectors []struct { Secret string `json:"secret"`; Body string `json:"body"`; Header string `json:"header"`; Now int64 `json:"now"` }',
          '  if err := json.NewDecoder(os.Stdin).Decode(&vectors); err != nil { panic(err) }',
          '  for _, v := range vectors {',
          '    fmt.Println(VerifyLumioWebhook([]byte(v.Body), v.Header, v.Secret, time.Unix(v.Now, 0), 5*time.Minute))',
          '  }',
          '}',
        ].join('\n'),
      );
      return run('go', ['run', 'verify.go', 'main.go'], {
        cwd: dir,
        env: { GOCACHE: path.join(os.tmpdir(), 'lumio-go-cache'), GOFLAGS: '-mod=mod', GO111MODULE: 'off' },
      });
    },
  },
];

describe('docs/webhooks.md verification snippets', () => {
  it('the vectors hold valid and refused deliveries (a snippet that accepts everything fails)', () => {
    expect(expected).toContain('true');
    expect(expected).toContain('false');
  });
  for (const language of LANGUAGES) {
    const present = available(...language.probe);
    if (!present) {
      const message = `webhook docs: no ${language.probe[0]} here, the ${language.name} snippet is SKIPPED`;
      if (process.env.LUMIO_REQUIRE_DOC_LANGUAGES === '1') throw new Error(`${message}; LUMIO_REQUIRE_DOC_LANGUAGES=1 requires it`);
      process.stderr.write(`${message}\n`);
    }
    it.runIf(present)(
      `${language.name} accepts and refuses each test vector as expected`,
      () => {
        expect(language.verdicts()).toEqual(expected);
      },
      120_000,
    );
  }
});
