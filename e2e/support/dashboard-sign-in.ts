import type { Browser, Page } from 'playwright-core';

/** The owner `startLumio` sets up. */
export const E2E_OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' } as const;

/** Signs an account (the owner `startLumio` set up by default) into the dashboard on `page`, and waits for a workspace page. */
export async function signIn(page: Page, url: string, who: { email: string; password: string } = E2E_OWNER): Promise<void> {
  await page.goto(`${url}/app/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/app\/w\//);
}

/**
 * A page of a new browser context signed in to the dashboard as the owner
 * `startLumio` sets up. The context bypasses the dashboard's CSP, which would
 * refuse axe (injected as a script by seriousAxeViolations); closing the
 * browser closes it.
 */
export async function signedInOwner(browser: Browser, lumioUrl: string): Promise<Page> {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await signIn(page, lumioUrl);
  return page;
}
