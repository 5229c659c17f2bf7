// Debian's chromium, driven by playwright-core: headless, no sandbox (CI runs as root), and none of
// the background traffic that this machine's closed network refuses. Playwright gives every launch
// a fresh, empty profile of its own.
import { chromium } from 'playwright-core';

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
