import type { Locator, Page } from 'playwright-core';

/** How many Tab presses `tabTo` tries before it gives up: more than any dashboard page has stops before its last control. */
const MAX_PRESSES = 60;

/** Whether `target` (any element it matches) has the focus. */
export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluateAll((elements) => elements.some((element) => element === document.activeElement));
}

/** The focused element in a few words (tag, role, name, text), for failure messages. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'nothing (the page body)';
    const label =
      element.getAttribute('aria-label') ??
      (element as HTMLInputElement).labels?.[0]?.textContent ??
      element.textContent?.trim().replace(/\s+/g, ' ').slice(0, 60) ??
      '';
    const role = element.getAttribute('role');
    return `<${element.tagName.toLowerCase()}${role ? ` role="${role}"` : ''}${element.id ? ` id="${element.id}"` : ''}> "${label}"`;
  });
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `target` has the focus, as a
 * keyboard user would; fails after `max` presses naming each element passed.
 */
export async function tabTo(page: Page, target: Locator, { backwards = false, max = MAX_PRESSES } = {}): Promise<void> {
  const passed: string[] = [];
  for (let presses = 0; presses <= max; presses++) {
    if (await hasFocus(target)) return;
    if (presses === max) break;
    passed.push(await describeFocus(page));
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(
    `${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'} never reached ${target}; focused on the way:\n  ${passed.join('\n  ')}`,
  );
}

/**
 * Fails unless `target` has the focus within `timeout` ms, naming what has it
 * instead. A short wait: widgets move the focus a moment after the key (Radix
 * arrow keys and dialogs do it in a timeout).
 */
export async function expectFocus(page: Page, target: Locator, timeout = 2_000): Promise<void> {
  for (const deadline = Date.now() + timeout; !(await hasFocus(target)); await page.waitForTimeout(25))
    if (Date.now() > deadline) throw new Error(`expected the focus on ${target}, but it is on ${await describeFocus(page)}`);
}

/** The focused element's focus indicator: its outline and box-shadow as computed (both 'none' means none shows). */
export function focusIndicator(page: Page): Promise<{ outline: string; boxShadow: string }> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement ?? document.body);
    return { outline: style.outlineStyle === 'none' ? 'none' : `${style.outlineStyle} ${style.outlineWidth}`, boxShadow: style.boxShadow };
  });
}
