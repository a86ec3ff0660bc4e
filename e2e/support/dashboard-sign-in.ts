import type { Browser, Page } from 'playwright-core';

/**
 * A page of a new browser context signed in to the dashboard as the owner
 * `startLumio` sets up. The context bypasses the dashboard's CSP, which would
 * refuse axe (injected as a script by seriousAxeViolations); closing the
 * browser closes it.
 */
export async function signedInOwner(browser: Browser, lumioUrl: string): Promise<Page> {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${lumioUrl}/app/sign-in`);
  await page.getByLabel('Email').fill('owner@example.com');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/app\/w\//);
  return page;
}
