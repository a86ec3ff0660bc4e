import {
  ARTICLE_TAG_LIMITS,
  IMPORT_LIMITS,
  SLUG_PATTERN,
  type ArticleView,
  type CollectionView,
  type HelpCenterFile,
} from '@lumio/protocol';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { excerptOf } from './help-center-content.js';
import { LumioError } from '../errors/lumio-error.js';
import { normaliseTags } from './article-tags.js';

/** A collection read from files. */
export interface ImportedCollection {
  /** The folder it came from. */
  folder: string;
  name: string;
  slug: string;
  description: string;
  position: number;
  pinned: boolean;
}

/** An article read from a file. */
export interface ImportedArticle {
  path: string;
  /** The collection folder, or null for an article at the top. */
  folder: string | null;
  title: string;
  slug: string;
  body: string;
  excerpt: string | null;
  position: number;
  status: 'draft' | 'published';
  audience: { condition: unknown; properties?: 'all' | 'trusted' | undefined } | null;
  /** Topic keys, already normalised (a file with a bad tag is refused with its path). */
  tags: string[];
}

/** The file a folder's collection is described in. */
export const COLLECTION_FILE = '_collection.md';

const slug = z.string().regex(SLUG_PATTERN, 'must be lower-case words joined by hyphens').max(80);
const collectionMatter = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    slug: slug.optional(),
    position: z.number().int().optional(),
    pinned: z.boolean().optional(),
  })
  .strict();
const articleMatter = z
  .object({
    title: z.string().trim().min(1).max(200),
    slug: slug.optional(),
    status: z.enum(['draft', 'published']).optional(),
    position: z.number().int().optional(),
    excerpt: z.string().max(500).nullable().optional(),
    audience: z
      .object({ condition: z.unknown(), properties: z.enum(['all', 'trusted']).optional() })
      .strict()
      .nullable()
      .optional(),
    // `tags: [billing, invoices]`; normalised like the API's (article-tags.ts).
    tags: z.array(z.string().max(ARTICLE_TAG_LIMITS.inputLength)).max(ARTICLE_TAG_LIMITS.perArticle).nullable().optional(),
  })
  .strict();

/**
 * A help center as Markdown files with YAML front matter, the way teams keep
 * docs in git: one folder per collection (described by `_collection.md`),
 * one `<slug>.md` per article, articles outside any collection at the top.
 */
export function exportHelpCenter(collections: CollectionView[], articles: ArticleView[]): HelpCenterFile[] {
  const folders = new Map(collections.map((c) => [c.id, c.slug]));
  const files: HelpCenterFile[] = collections.map((c) => ({
    path: `${c.slug}/${COLLECTION_FILE}`,
    content: withMatter({ name: c.name, slug: c.slug, position: c.position, ...(c.pinned ? { pinned: true } : {}) }, c.description),
  }));
  for (const a of articles) {
    const folder = a.collectionId ? folders.get(a.collectionId) : undefined;
    const matter: Record<string, unknown> = { title: a.title, slug: a.slug, status: a.status, position: a.position };
    // Only a hand-written excerpt: one made from the body is made again on import, and follows later edits.
    if (a.excerpt !== excerptOf(a.html)) matter.excerpt = a.excerpt;
    if (a.audience) matter.audience = a.audience;
    if (a.tags.length > 0) matter.tags = a.tags;
    files.push({ path: `${folder ? `${folder}/` : ''}${a.slug}.md`, content: withMatter(matter, a.body) });
  }
  return files;
}

/** Files read for an import: what they describe, and every problem found, by path. */
export interface ReadHelpCenterFiles {
  collections: ImportedCollection[];
  articles: ImportedArticle[];
  errors: Array<{ path: string; message: string }>;
}

// How long reading files may keep the event loop before letting other requests in (2,000 files of
// bounded front matter still take seconds in all).
const SLICE_MS = 10;

/**
 * Reads exported files back. Every problem is reported with the file's path;
 * the caller imports nothing unless there are none. Yields to the event loop
 * every few milliseconds, so a large import does not stall other requests.
 */
export async function readHelpCenterFiles(files: HelpCenterFile[]): Promise<ReadHelpCenterFiles> {
  const errors: Array<{ path: string; message: string }> = [];
  const collections = new Map<string, ImportedCollection>();
  const articles: ImportedArticle[] = [];
  const seen = new Set<string>();
  if (files.length > IMPORT_LIMITS.files) errors.push({ path: '', message: `At most ${IMPORT_LIMITS.files} files per import.` });
  let slice = performance.now();
  for (const file of files.slice(0, IMPORT_LIMITS.files)) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const parts = file.path.split('/');
    const name = parts.at(-1)!;
    const folder = parts.length === 2 ? parts[0]! : null;
    const fail = (message: string) => errors.push({ path: file.path, message });
    if (parts.length > 2 || !name.endsWith('.md') || (folder !== null && !SLUG_PATTERN.test(folder))) {
      fail('expected <collection-folder>/<slug>.md or <slug>.md, folders in lower-case words joined by hyphens');
      continue;
    }
    if (file.content.length > IMPORT_LIMITS.fileLength) {
      fail(`longer than ${IMPORT_LIMITS.fileLength} characters`);
      continue;
    }
    const split = splitMatter(file.content);
    if (!split.ok) {
      fail(split.message);
      continue;
    }
    if (name === COLLECTION_FILE) {
      if (folder === null) {
        fail(`${COLLECTION_FILE} belongs in a collection's folder`);
        continue;
      }
      const parsed = collectionMatter.safeParse(split.matter ?? {});
      if (!parsed.success) {
        fail(issueText(parsed.error));
        continue;
      }
      collections.set(folder, {
        folder,
        name: parsed.data.name ?? folder,
        slug: parsed.data.slug ?? folder,
        description: split.body.trim(),
        position: parsed.data.position ?? 0,
        pinned: parsed.data.pinned ?? false,
      });
      continue;
    }
    const parsed = articleMatter.safeParse(split.matter ?? {});
    if (!parsed.success) {
      fail(issueText(parsed.error));
      continue;
    }
    const articleSlug = parsed.data.slug ?? name.slice(0, -3);
    if (!SLUG_PATTERN.test(articleSlug)) {
      fail('the file name (or slug) must be lower-case words joined by hyphens');
      continue;
    }
    if (seen.has(articleSlug)) {
      fail(`another file has the slug "${articleSlug}"`);
      continue;
    }
    let tags: string[];
    try {
      tags = normaliseTags(parsed.data.tags);
    } catch (error) {
      fail((error as Error).message);
      continue;
    }
    seen.add(articleSlug);
    articles.push({
      path: file.path,
      folder,
      title: parsed.data.title,
      slug: articleSlug,
      body: split.body.replace(/^\n+/, ''),
      excerpt: parsed.data.excerpt ?? null,
      position: parsed.data.position ?? 0,
      status: parsed.data.status ?? 'draft',
      audience: parsed.data.audience ?? null,
      tags,
    });
  }
  // A folder without _collection.md is still a collection, named after the folder.
  for (const a of articles)
    if (a.folder !== null && !collections.has(a.folder))
      collections.set(a.folder, { folder: a.folder, name: a.folder, slug: a.folder, description: '', position: 0, pinned: false });
  return { collections: [...collections.values()], articles, errors };
}

function withMatter(matter: Record<string, unknown>, body: string): string {
  return `---\n${stringifyYaml(matter)}---\n\n${body}${body.endsWith('\n') ? '' : '\n'}`;
}

// Front matter is a few fields; these bounds keep the YAML parser (recursive, on the event loop) fast and
// alive: 16 k `{` killed the process (V8 out of memory in its RegExp compiler), 8 k took 200 ms. A condition
// nests at most 12 levels, which block YAML writes within ~60 columns.
const MATTER_MAX_LENGTH = 8192;
const MATTER_MAX_DEPTH = 128;

function splitMatter(content: string): { ok: true; matter: unknown; body: string } | { ok: false; message: string } {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!text.startsWith('---\n')) return { ok: true, matter: null, body: text };
  const end = text.indexOf('\n---', 3);
  if (end < 0) return { ok: false, message: 'the front matter has no closing ---' };
  if (end > MATTER_MAX_LENGTH) return { ok: false, message: `the front matter is longer than ${MATTER_MAX_LENGTH} characters` };
  if (yamlNesting(text.slice(4, end + 1)) > MATTER_MAX_DEPTH)
    return { ok: false, message: `the front matter is nested more than ${MATTER_MAX_DEPTH} levels deep` };
  try {
    // Aliases bounded: a small file must not expand into a huge document.
    const matter = parseYaml(text.slice(4, end + 1), { maxAliasCount: 20 }) as unknown;
    const after = text.indexOf('\n', end + 1);
    return { ok: true, matter, body: after < 0 ? '' : text.slice(after + 1) };
  } catch (error) {
    return { ok: false, message: `the front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

/**
 * How deep YAML may nest, over-counted in one linear pass: open `[`/`{`
 * anywhere (quoted or not) plus the indentation (each column could be a
 * level) plus the `- ` markers starting a line.
 */
export function yamlNesting(yaml: string): number {
  let deepest = 0;
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < yaml.length; i++) {
    const c = yaml[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      dashes = 0;
      continue;
    }
    if (lineStart && (c === ' ' || c === '\t')) indent++;
    else if (lineStart && c === '-' && (yaml[i + 1] === ' ' || yaml[i + 1] === '\t')) {
      dashes++;
      indent++;
    } else lineStart = false;
    if (c === '[' || c === '{') flow++;
    else if ((c === ']' || c === '}') && flow > 0) flow--;
    deepest = Math.max(deepest, flow + indent + dashes);
  }
  return deepest;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'front matter'}: ${issue.message}`;
}

/**
 * Reads import files and refuses the import if any is wrong (bad path, front
 * matter, size), each problem with its path: checked before an import job
 * starts, so such mistakes are answered at once.
 */
export async function checkImportFiles(files: HelpCenterFile[]): Promise<ReadHelpCenterFiles> {
  const parsed = await readHelpCenterFiles(files);
  const { errors } = parsed;
  if (errors.length > 0)
    throw new LumioError('invalid_request', `${errors.length} file(s) cannot be imported: ${errors[0]!.path}: ${errors[0]!.message}`, {
      errors,
    });
  return parsed;
}
