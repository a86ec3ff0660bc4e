import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';

/** One built script: its bytes and the content hash that names and validates it. */
export interface ScriptFile {
  body: Buffer;
  /** First 16 hex digits of the SHA-256 of the body. */
  hash: string;
}

const LOADER_BASE_PLACEHOLDER = '__LUMIO_BASE__';

/**
 * The browser scripts the server hands to host pages, read once: the snippet
 * (loader) from `@lumio/sdk`, which needs this server's public origin filled
 * in, and widget.js (the SDK with the widget UI) from `@lumio/widget`. Missing
 * files (an unbuilt checkout) are reported as unavailable rather than failing
 * the server's start.
 */
export class WidgetScript {
  readonly widget: ScriptFile | null;
  private readonly loaderTemplate: string | null;
  private readonly loaders = new Map<string, ScriptFile>();

  constructor(files: { widget: string; loader: string } | null = bundleFiles()) {
    this.widget = files ? readScript(files.widget) : null;
    this.loaderTemplate = files ? (readScript(files.loader)?.body.toString('utf8') ?? null) : null;
  }

  /** The snippet for pages that load widget.js from `base` (this server's public origin). */
  loader(base: string): ScriptFile | null {
    if (this.loaderTemplate === null) return null;
    let file = this.loaders.get(base);
    if (!file) {
      // JSON-quoted so an odd origin cannot break out of the string literal.
      const body = Buffer.from(this.loaderTemplate.replace(`"${LOADER_BASE_PLACEHOLDER}"`, JSON.stringify(base)), 'utf8');
      file = { body, hash: contentHash(body) };
      // Bounded: with no LUMIO_PUBLIC_URL the base comes from the Host header.
      if (this.loaders.size > 16) this.loaders.clear();
      this.loaders.set(base, file);
    }
    return file;
  }

  /** The snippet as a host pastes it into its page's <head>, with the widget id filled in. */
  snippet(base: string, widgetId: string): string | null {
    const loader = this.loader(base);
    if (!loader) return null;
    return `<script>${loader.body.toString('utf8').trim()}\nLumioWidget('init', { widgetId: ${JSON.stringify(widgetId)} });</script>`;
  }
}

function bundleFiles(): { widget: string; loader: string } | null {
  const require = createRequire(import.meta.url);
  try {
    return {
      widget: require.resolve('@lumio/widget/bundles/lumio-widget.min.js'),
      loader: require.resolve('@lumio/sdk/bundles/lumio-loader.min.js'),
    };
  } catch {
    return null;
  }
}

function readScript(file: string): ScriptFile | null {
  try {
    const body = fs.readFileSync(file);
    return { body, hash: contentHash(body) };
  } catch {
    return null;
  }
}

function contentHash(body: Buffer): string {
  return crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
}
