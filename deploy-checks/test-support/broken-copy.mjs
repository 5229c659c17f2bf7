// The broken-copy helper of the tests (../test): a copy of the repository, edited one way, so that
// each test shows that one kind of breakage is caught. Outside test/, so that node --test does not
// take it for a test file.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOverlay } from '../src/checks.mjs';
import { SERVICES } from '../src/static.mjs';

export const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(MODULE, '..');
const COPIES = path.join(MODULE, 'target', 'broken-copies');
let copies = 0;

/** A copy of what the checks read (k8s/, deploy/, docs/api.md, providers/, the provider sources, the services' Dockerfiles, properties and poms), then edits. */
export function brokenCopy(edits) {
  const root = path.join(COPIES, `copy-${process.pid}-${++copies}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(path.join(ROOT, 'k8s'), path.join(root, 'k8s'), { recursive: true });
  cpSync(path.join(ROOT, 'deploy', 'compose.yaml'), path.join(root, 'deploy', 'compose.yaml'));
  cpSync(path.join(ROOT, 'docs', 'api.md'), path.join(root, 'docs', 'api.md'));
  const providers = 'provider-connector-service/src/main/java/io/chatstream/connector/provider';
  if (existsSync(path.join(ROOT, providers))) cpSync(path.join(ROOT, providers), path.join(root, providers), { recursive: true });
  // The vendor modules, without their build output, and without their tests: node --test would take
  // a copy's src/test/**/*.js for tests of its own on the next run (target/ is not cleaned).
  cpSync(path.join(ROOT, 'providers'), path.join(root, 'providers'), { recursive: true, filter: (f) => !/[/\\](target|node_modules|test)$/.test(f) });
  cpSync(path.join(ROOT, 'event-contract', 'src', 'main'), path.join(root, 'event-contract', 'src', 'main'), { recursive: true });
  for (const s of SERVICES) {
    cpSync(path.join(ROOT, s, 'src', 'main', 'docker'), path.join(root, s, 'src', 'main', 'docker'), { recursive: true });
    cpSync(path.join(ROOT, s, 'src', 'main', 'resources', 'application.properties'), path.join(root, s, 'src', 'main', 'resources', 'application.properties'));
    cpSync(path.join(ROOT, s, 'pom.xml'), path.join(root, s, 'pom.xml'));
  }
  for (const [file, from, to] of edits) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    const text = existsSync(full) ? readFileSync(full, 'utf8') : '';
    if (from !== null) assert.ok(text.includes(from), `the broken copy needs '${from}' in ${file}: update this test`);
    writeFileSync(full, from === null ? to : text.replace(from, to));
  }
  return root;
}

export async function problemsOf(edits, overlay = 'prod', options = {}) {
  return (await checkOverlay(brokenCopy(edits), overlay, options)).problems;
}

export function assertCaught(problems, pattern) {
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`);
}
