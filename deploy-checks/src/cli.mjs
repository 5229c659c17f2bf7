#!/usr/bin/env node
// node src/cli.mjs [repository root]: runs every check and exits 1 on any problem.
// Environment: DEPLOY_CHECKS_STRICT_PROVIDERS=true makes a connector Deployment of a provider that
// is promised by docs/api.md but not built yet a problem (by default it is reported as a note);
// DEPLOY_CHECKS_REQUIRE_BUILD=true makes unpackaged services' COPY sources a problem; KUBECTL.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRepository } from './checks.mjs';
import { kustomizeVersion } from './render.mjs';

const root = path.resolve(process.argv[2] || path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'));
const options = {
  strictProviders: process.env.DEPLOY_CHECKS_STRICT_PROVIDERS === 'true',
  requireBuild: process.env.DEPLOY_CHECKS_REQUIRE_BUILD === 'true',
};
try {
  console.log(`deploy-checks: ${root} (kustomize ${kustomizeVersion()})`);
  const { problems, notes } = await checkRepository(root, options);
  for (const n of notes) console.log(`  note: ${n}`);
  for (const p of problems) console.log(`  PROBLEM: ${p}`);
  console.log(problems.length ? `deploy-checks: ${problems.length} problem(s)` : 'deploy-checks: all good');
  process.exit(problems.length ? 1 : 0);
} catch (e) {
  console.error(`deploy-checks: ${e.message}`);
  process.exit(2);
}
