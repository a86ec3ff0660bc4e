// docs/signing.md shows how to sign a userId in five languages. Each snippet
// is run here, as printed, against the shared test vectors, with that
// language's own interpreter: a doc that drifts from the rule fails this test.
// A language whose toolchain is missing is skipped with a message; .ci/run
// installs them all and sets LUMIO_REQUIRE_DOC_LANGUAGES=1, so CI runs every one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const doc = fs.readFileSync(new URL('../../../../docs/signing.md', import.meta.url), 'utf8');
const { vectors } = JSON.parse(
  fs.readFileSync(new URL('../../../protocol/test-vectors/user-id-signatures.json', import.meta.url), 'utf8'),
) as {
  vectors: Array<{ name: string; secret: string; userId: string | number; signature: string }>;
};
const input = JSON.stringify(vectors.map(({ secret, userId }) => ({ secret, userId })));
const expected = vectors.map((v) => v.signature);

/** The code block of a language under its "## Heading", without the example call that needs a host app's user. */
function snippet(heading: string, fence: string, index = 0): string {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (!section) throw new Error(`docs/signing.md has no "## ${heading}" section`);
  const blocks = [...section.matchAll(new RegExp('```' + fence + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  const block = blocks[index];
  if (!block) throw new Error(`no ${fence} block #${index} under "## ${heading}"`);
  return block
    .split('\n')
    .filter((line) => !/^\s*\$?(signature|secret)\s*=/.test(line) && !/^const signature =/.test(line))
    .join('\n');
}

function available(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): string[] {
  const result = spawnSync(command, args, { input, encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env } });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n');
}

const LANGUAGES: Array<{ name: string; probe: [string, string[]]; signatures: () => string[] }> = [
  {
    name: 'Node.js (node:crypto)',
    probe: [process.execPath, ['--version']],
    signatures: () => {
      const driver = `\nconst vectors = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));\nfor (const v of vectors) console.log(signUserId(v.userId, v.secret));\n`;
      const code = snippet('Node.js', 'js', 1).replace(
        "import { createHmac } from 'node:crypto';",
        "const { createHmac } = require('node:crypto');",
      );
      return run(process.execPath, ['-e', code + driver]);
    },
  },
  {
    name: 'Python',
    probe: ['python3', ['--version']],
    signatures: () =>
      run('python3', [
        '-c',
        `${snippet('Python', 'python')}\nimport json, sys\nfor v in json.load(sys.stdin):\n    print(sign_user_id(v["userId"], v["secret"]))\n`,
      ]),
  },
  {
    name: 'Ruby',
    probe: ['ruby', ['--version']],
    signatures: () =>
      run('ruby', [
        '-e',
        `${snippet('Ruby', 'ruby')}\nrequire "json"\nJSON.parse($stdin.read).each { |v| puts sign_user_id(v["userId"], v["secret"]) }\n`,
      ]),
  },
  {
    name: 'PHP',
    probe: ['php', ['--version']],
    signatures: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-php-'));
      const file = path.join(dir, 'sign.php');
      fs.writeFileSync(
        file,
        `${snippet('PHP', 'php')}\nforeach (json_decode(stream_get_contents(STDIN), true) as $v) { echo sign_user_id($v['userId'], $v['secret']), "\\n"; }\n`,
      );
      return run('php', [file]);
    },
  },
  {
    name: 'Go',
    probe: ['go', ['version']],
    signatures: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-go-'));
      fs.writeFileSync(path.join(dir, 'sign.go'), snippet('Go', 'go').replace('package lumio', 'package main'));
      fs.writeFileSync(
        path.join(dir, 'main.go'),
        [
          'package main',
          'import ("encoding/json"; "fmt"; "os")',
          'func main() {',
          '  var vectors []struct { Secret string `json:"secret"`; UserID json.RawMessage `json:"userId"` }',
          '  if err := json.NewDecoder(os.Stdin).Decode(&vectors); err != nil { panic(err) }',
          '  for _, v := range vectors {',
          // A numeric id is signed as its decimal digits, exactly as written in the JSON.
          '    id := string(v.UserID)',
          "    if v.UserID[0] == '\"' { if err := json.Unmarshal(v.UserID, &id); err != nil { panic(err) } }",
          '    fmt.Println(SignUserID(id, v.Secret))',
          '  }',
          '}',
        ].join('\n'),
      );
      return run('go', ['run', 'sign.go', 'main.go'], {
        cwd: dir,
        env: { GOCACHE: path.join(os.tmpdir(), 'lumio-go-cache'), GOFLAGS: '-mod=mod', GO111MODULE: 'off' },
      });
    },
  },
];

describe('docs/signing.md snippets', () => {
  for (const language of LANGUAGES) {
    const present = available(...language.probe);
    if (!present) {
      const message = `signing docs: no ${language.probe[0]} here, the ${language.name} snippet is SKIPPED`;
      if (process.env.LUMIO_REQUIRE_DOC_LANGUAGES === '1') throw new Error(`${message}; LUMIO_REQUIRE_DOC_LANGUAGES=1 requires it`);
      process.stderr.write(`${message}\n`);
    }
    it.runIf(present)(
      `${language.name} gives every test vector's signature`,
      () => {
        expect(language.signatures()).toEqual(expected);
      },
      120_000,
    );
  }
});
