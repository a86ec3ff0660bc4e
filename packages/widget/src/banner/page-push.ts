/** The edge of the page a pushing banner sits at. */
export type PushEdge = 'top' | 'bottom';

/** Room made on the host page for a banner: resize it as the banner does, release it when the banner goes. */
export interface PagePush {
  /** Makes the room this many pixels tall. */
  resize(pixels: number): void;
  /** Gives the page back exactly what it had before (its own inline styles included). */
  release(): void;
}

/** The custom properties a host page reads to offset its own fixed or sticky bars (docs/widget.md). */
export const PUSH_VARIABLES = { top: '--lumio-banner-top', bottom: '--lumio-banner-bottom' } as const;

/**
 * Makes room for a banner at one edge of the host page, so the banner covers
 * nothing of it: padding on `<html>` (the page's own padding there, plus the
 * banner's height) moves everything in normal flow, `scroll-padding` keeps
 * in-page links from landing under the banner, and a custom property
 * (`--lumio-banner-top` or `--lumio-banner-bottom`) carries the height to the
 * page's own `position: fixed` or `sticky` bars, which padding cannot move.
 *
 * Padding on the root element, rather than a spacer in `<body>`: it cannot
 * collapse with a child's margin, needs no node in the page's DOM (frameworks
 * that own `<body>` would remove it), and it is one inline style to restore.
 * `!important` because an inline declaration without it loses to a page's own
 * `!important` rule on `html`.
 */
export function pushPage(doc: Document, edge: PushEdge): PagePush {
  const html = doc.documentElement;
  const padding = `padding-${edge}`;
  const scrollPadding = `scroll-padding-${edge}`;
  const variable = PUSH_VARIABLES[edge];
  const hadStyle = html.hasAttribute('style');
  const saved = [padding, scrollPadding, variable].map((name) => ({
    name,
    value: html.style.getPropertyValue(name),
    priority: html.style.getPropertyPriority(name),
  }));
  // What the page itself puts there, in pixels (`auto` scroll padding is none).
  const computed = doc.defaultView?.getComputedStyle(html);
  const pagePadding = Number.parseFloat(computed?.getPropertyValue(padding) ?? '') || 0;
  const pageScrollPadding = Number.parseFloat(computed?.getPropertyValue(scrollPadding) ?? '') || 0;
  return {
    resize(pixels) {
      const room = Math.max(0, Math.ceil(pixels));
      html.style.setProperty(padding, `${pagePadding + room}px`, 'important');
      html.style.setProperty(scrollPadding, `${pageScrollPadding + room}px`, 'important');
      html.style.setProperty(variable, `${room}px`);
    },
    release() {
      for (const { name, value, priority } of saved) {
        if (value) html.style.setProperty(name, value, priority);
        else html.style.removeProperty(name);
      }
      // Not even an empty style="" left behind where the page had none. Read
      // through the attribute, not style.length: Chromium writes CSSOM changes
      // into the attribute lazily, and that late write would undo a removal.
      if (!hadStyle && html.getAttribute('style') === '') html.removeAttribute('style');
    },
  };
}
