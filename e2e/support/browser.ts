import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium; the flags keep it off this machine's closed network.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium to drive: LUMIO_CHROMIUM, else /usr/bin/chromium; null when there is none. */
export function chromiumPath(): string | null {
  const candidate = process.env.LUMIO_CHROMIUM || '/usr/bin/chromium';
  return fs.existsSync(candidate) ? candidate : null;
}

/** Whether the browser tests run; says so clearly when they are skipped, and fails when they are required. */
export function browserTestsEnabled(): boolean {
  if (chromiumPath()) return true;
  const message = 'e2e: no Chromium at /usr/bin/chromium (or LUMIO_CHROMIUM): the browser tests are SKIPPED (apt-get install -y chromium)';
  if (process.env.LUMIO_REQUIRE_E2E === '1') throw new Error(`${message}; LUMIO_REQUIRE_E2E=1 requires them`);
  process.stderr.write(`${message}\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath()!, args: FLAGS });
}
