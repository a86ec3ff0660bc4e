import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The server's layers (docs: ../shared/DESIGN.md, "one composition root"):
// app/ wires every feature; features build on http/ and on the lower layers;
// http/ builds on the lower layers only. An import that runs upwards makes a
// change to a feature reach into the request plumbing every feature shares.
const SRC = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const LOWER = new Set(['errors', 'config', 'db', 'crypto', 'ops', 'content', 'mail']);
// Only these may import the composition root: the process entry points and the tests' app builder.
const MAY_IMPORT_APP = new Set(['index.ts', 'cli/start-server.ts', 'test-support/test-app.ts', 'test-support/stored-companies.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [file] : [];
  });
}

/** The top-level folders of src/ a file imports from, by relative path (`index.ts` for the root's own files). */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const folders: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]!));
    folders.push(target.includes(path.sep) ? target.split(path.sep)[0]! : 'index.ts');
  }
  return folders;
}

describe('server layers', () => {
  it('http/ imports only the lower layers (errors, config, db, crypto, ops, content, mail), never a feature', () => {
    const upward = sources(path.join(SRC, 'http')).flatMap((file) =>
      importedFolders(file)
        .filter((folder) => folder !== 'http' && !LOWER.has(folder))
        .map((folder) => `${path.relative(SRC, file)} → ${folder}/`),
    );
    expect(upward).toEqual([]);
  });

  it('nothing but the entry points imports the composition root (app/)', () => {
    const importers = sources(SRC)
      .filter((file) => !file.startsWith(path.join(SRC, 'app') + path.sep))
      .filter((file) => importedFolders(file).includes('app'))
      .map((file) => path.relative(SRC, file));
    expect(importers.filter((file) => !MAY_IMPORT_APP.has(file))).toEqual([]);
  });
});
