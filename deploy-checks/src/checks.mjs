// Every check over a repository tree: render and validate each k8s overlay, the gateway's rules
// (Kafka users, the database), the Dockerfiles and the compose file. Used by the CLI (cli.mjs) and the tests (../test).
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { render, generateConnectors } from './render.mjs';
import { validateAll } from './schemas.mjs';
import { checkGateway, checkPlaceholderSecrets, isConnector, providerOf } from './gateway.mjs';
import { checkKafkaUsers } from './kafka-users.mjs';
import { checkDatabase } from './database.mjs';
import { SERVICES, dockerfileOf, servicePort, checkDockerfile, checkCompose } from './static.mjs';

export const overlaysOf = (root) => {
  const dir = path.join(root, 'k8s', 'overlays');
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
};

/** Renders and checks one overlay: { objects, problems, notes }. A render failure is a problem. */
export async function checkOverlay(root, overlay, options = {}) {
  const where = `k8s/overlays/${overlay}`;
  let objects;
  try {
    generateConnectors(root);
    objects = render(path.join(root, 'k8s', 'overlays', overlay));
  } catch (e) {
    return { objects: [], problems: [`${where}: ${e.message}`], notes: [] };
  }
  const problems = (await validateAll(objects)).map((p) => `${where}: ${p}`);
  const gateway = checkGateway(objects, { root, ...options });
  problems.push(...gateway.problems.map((p) => `${where}: ${p}`));
  problems.push(...checkPlaceholderSecrets(objects).map((p) => `${where}: ${p}`));
  problems.push(...checkKafkaUsers(objects, { isConnector, providerOf }).map((p) => `${where}: ${p}`));
  const database = checkDatabase(objects, { root });
  problems.push(...database.problems.map((p) => `${where}: ${p}`));
  return { objects, problems, notes: [...gateway.notes, ...database.notes].map((n) => `${where}: ${n}`) };
}

export async function checkRepository(root, options = {}) {
  const problems = [];
  const notes = [];
  const overlays = overlaysOf(root);
  if (overlays.length === 0) problems.push('no overlay under k8s/overlays');
  for (const overlay of overlays) {
    const r = await checkOverlay(root, overlay, options);
    problems.push(...r.problems);
    notes.push(...r.notes);
    notes.push(`k8s/overlays/${overlay}: ${r.objects.length} objects rendered and validated`);
  }
  for (const service of SERVICES) {
    const r = checkDockerfile(dockerfileOf(root, service), { context: root, port: servicePort(root, service), requireBuild: options.requireBuild });
    problems.push(...r.problems);
    notes.push(...r.notes);
  }
  const compose = checkCompose(path.join(root, 'deploy', 'compose.yaml'), { root });
  problems.push(...compose.problems);
  return { problems, notes };
}
