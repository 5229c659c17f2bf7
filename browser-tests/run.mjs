// The browser tests' entry point (Maven runs it in the integration-test phase; `npm test` too):
// checks for the browser, installs playwright-core from the lock file, runs `node --test`.
// Without /usr/bin/chromium the tests are skipped with a message, unless CI is set: on CI they
// must run (.ci/run installs Debian's chromium).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!fs.existsSync(chromium)) {
  if (process.env.CI) {
    console.error(`browser-tests: ${chromium} is missing, and CI is set: install it (apt-get install chromium), as .ci/run does.`);
    process.exit(1);
  }
  console.log(`browser-tests: SKIPPED: ${chromium} is missing (apt-get install chromium to run them; with CI set, this fails).`);
  process.exit(0);
}

/**
 * Runs a command in its own process group, so that a timeout, Ctrl-C or Maven's own timeout ends
 * it and everything under it (the test process then stops the gateway it started).
 */
function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: here, stdio: 'inherit', detached: true });
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch (e) {
        // Already gone.
      }
    };
    let killTimer = null;
    const stop = (why) => {
      console.error(`browser-tests: ${why}: stopping ${command}`);
      signalGroup('SIGTERM');
      killTimer = killTimer || setTimeout(() => signalGroup('SIGKILL'), 30_000);
    };
    const timer = setTimeout(() => stop(`no result within ${timeoutMs / 1000} s`), timeoutMs);
    const onSignal = (signal) => stop(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    child.on('error', (e) => {
      console.error(`browser-tests: ${command}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const installed = await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], 180_000);
if (installed !== 0) {
  process.exit(installed);
}
const tests = fs
  .readdirSync(path.join(here, 'test'))
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => path.join('test', f));
const results = path.join(here, 'target', 'node-test-results.xml');
fs.mkdirSync(path.dirname(results), { recursive: true });
// Each test and hook has its own timeout; this one only bounds a run that hangs anyway.
process.exit(
  await run(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=junit',
      `--test-reporter-destination=${results}`,
      ...tests,
    ],
    660_000,
  ),
);
