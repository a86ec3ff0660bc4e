import type { Page } from 'playwright-core';

/** Signs the owner `startLumio` set up into the dashboard on `page`, and waits for a workspace page. */
export async function signInOwner(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/app/sign-in`);
  await page.getByLabel('Email').fill('owner@example.com');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/app\/w\//);
}
