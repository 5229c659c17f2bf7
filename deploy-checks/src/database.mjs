// The database rules over one rendered overlay (CloudNativePG, k8s/base/database): a Deployment that
// sets the Quarkus datasource takes it from a Cluster's app Secret (never a literal, never another
// Secret); its JDBC URL names that Cluster's primary and the database the Cluster bootstraps; and
// the pools of every pod that may run at once fit into the Cluster's max_connections.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export const URL_ENV = 'QUARKUS_DATASOURCE_JDBC_URL';
export const DATASOURCE_ENV = [URL_ENV, 'QUARKUS_DATASOURCE_USERNAME', 'QUARKUS_DATASOURCE_PASSWORD'];
export const POOL_ENV = 'QUARKUS_DATASOURCE_JDBC_MAX_SIZE';
/** Quarkus's default quarkus.datasource.jdbc.max-size. */
const QUARKUS_POOL_DEFAULT = 20;
/** PostgreSQL's defaults of the parameters the budget needs. */
const PG_DEFAULTS = { max_connections: 100, superuser_reserved_connections: 3, reserved_connections: 0 };
/** Connections kept free on top of the reserved ones: the operator's instance manager, the metrics exporter, a psql session. */
export const HEADROOM = 20;
/** The keys of the Secret CloudNativePG makes for the application user (pkg/specs/secrets.go, CreateSecret). */
export const APP_SECRET_KEYS = ['username', 'user', 'password', 'dbname', 'host', 'port', 'pgpass', 'uri', 'jdbc-uri', 'fqdn-uri', 'fqdn-jdbc-uri'];
const PG_PORT = '5432';
/** Which Secret key may stand for which part of the JDBC URL, and for the credentials. */
const KEY_FOR = { host: ['host'], port: ['port'], database: ['dbname'], [DATASOURCE_ENV[1]]: ['username', 'user'], [DATASOURCE_ENV[2]]: ['password'] };
const URL_KEYS = ['jdbc-uri', 'fqdn-jdbc-uri'];

/** The Secret the application logs in with: the one named in initdb, or the one the operator makes. */
export function appSecretOf(cluster) {
  const custom = cluster.spec?.bootstrap?.initdb?.secret?.name;
  return custom ? { name: custom, keys: ['username', 'password'] } : { name: `${cluster.metadata.name}-app`, keys: APP_SECRET_KEYS };
}

/** The application database the Cluster creates at bootstrap (the CRD's default: app). */
export function bootstrapDatabase(cluster) {
  const b = cluster.spec?.bootstrap || {};
  return (b.initdb || b.recovery || b.pg_basebackup || {}).database || 'app';
}

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const containers = (d) => [...(d.spec?.template?.spec?.initContainers || []), ...(d.spec?.template?.spec?.containers || [])];
const serviceOf = (d) => d.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'];

function readIf(file) {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Why a service's source says it uses a database (a JDBC driver or Flyway in its pom, datasource keys in its properties), or null. */
export function databaseUseOf(root, service) {
  if (!service) return null;
  const pom = readIf(path.join(root, service, 'pom.xml'));
  const m = pom.match(/<artifactId>(quarkus-jdbc-[a-z0-9-]+|quarkus-flyway)<\/artifactId>/);
  if (m) return `${m[1]} in ${service}/pom.xml`;
  const props = readIf(path.join(root, service, 'src', 'main', 'resources', 'application.properties'));
  if (/^(%[\w-]+\.)?quarkus\.datasource\./m.test(props)) return `quarkus.datasource.* in ${service}/src/main/resources/application.properties`;
  return null;
}

/** The pool's max-size: the Deployment's env, else the service's application.properties, else Quarkus's default. */
function poolOf(root, d, container) {
  const env = (container.env || []).find((e) => e.name === POOL_ENV);
  if (env?.value !== undefined) return { size: Number(env.value), from: POOL_ENV };
  const props = readIf(path.join(root, serviceOf(d) || '-', 'src', 'main', 'resources', 'application.properties'));
  const m = props.match(/^quarkus\.datasource\.jdbc\.max-size\s*=\s*(\d+)\s*$/m);
  if (m) return { size: Number(m[1]), from: 'application.properties' };
  return { size: QUARKUS_POOL_DEFAULT, from: 'Quarkus default' };
}

/** How many of a Deployment's pods may run at once: its autoscaler's maximum (or replicas), plus a rolling update's surge. */
function podsAtMost(d, objects) {
  const name = d.metadata.name;
  const hpas = byKind(objects, 'HorizontalPodAutoscaler').filter((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
  const sos = byKind(objects, 'ScaledObject').filter((s) => s.spec?.scaleTargetRef?.name === name && (s.spec.scaleTargetRef.kind || 'Deployment') === 'Deployment');
  const maxima = [...hpas.map((h) => h.spec.maxReplicas), ...sos.map((s) => s.spec.maxReplicaCount ?? 100)];
  const replicas = maxima.length ? Math.max(...maxima) : (d.spec?.replicas ?? 1);
  const strategy = d.spec?.strategy || {};
  if (strategy.type === 'Recreate') return replicas;
  const surge = strategy.rollingUpdate?.maxSurge ?? '25%';
  const extra = typeof surge === 'string' && surge.endsWith('%') ? Math.ceil((replicas * parseInt(surge, 10)) / 100) : Number(surge);
  return replicas + extra;
}

function parameter(cluster, name) {
  const value = cluster.spec?.postgresql?.parameters?.[name];
  return value === undefined ? PG_DEFAULTS[name] : Number(value);
}

/** Every database rule over one overlay's objects: { problems, notes }. */
export function checkDatabase(objects, { root }) {
  const problems = [];
  const notes = [];
  const clusters = byKind(objects, 'Cluster');
  const bySecret = new Map(clusters.map((c) => [appSecretOf(c).name, c]));
  const configs = new Map([...byKind(objects, 'ConfigMap'), ...byKind(objects, 'Secret')].map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  const clients = new Map(clusters.map((c) => [c.metadata.name, []]));

  for (const d of byKind(objects, 'Deployment')) {
    const name = d.metadata.name;
    let connects = false;
    for (const c of containers(d)) {
      const env = c.env || [];
      const at = (n) => env.findIndex((e) => e.name === n);
      // A datasource setting from envFrom comes from a ConfigMap or a Secret of the overlay, not from the Cluster.
      for (const from of c.envFrom || []) {
        const ref = from.configMapRef ? `ConfigMap/${from.configMapRef.name}` : from.secretRef ? `Secret/${from.secretRef.name}` : null;
        const o = ref && configs.get(ref);
        const keys = Object.keys({ ...(o?.data || {}), ...(o?.stringData || {}) }).map((k) => (from.prefix || '') + k);
        for (const k of keys.filter((k) => DATASOURCE_ENV.includes(k))) {
          problems.push(`Deployment ${name}: ${k} comes from ${ref} (envFrom); it must come from a CloudNativePG Cluster's app Secret`);
        }
      }
      const set = DATASOURCE_ENV.filter((n) => at(n) >= 0);
      if (set.length === 0) continue;
      connects = true;
      const missing = DATASOURCE_ENV.filter((n) => at(n) < 0);
      if (missing.length) problems.push(`Deployment ${name}: sets ${set.join(', ')} but not ${missing.join(', ')}`);
      if (clusters.length === 0) { problems.push(`Deployment ${name}: sets the datasource, but the overlay has no CloudNativePG Cluster`); continue; }

      const used = new Set(); // clusters named by the datasource's parts
      /** The Cluster an env var takes `part` from, checking it reads one of the keys allowed for that part. */
      const fromSecret = (e, part, what) => {
        const ref = e?.valueFrom?.secretKeyRef;
        const cluster = ref && bySecret.get(ref.name);
        if (!cluster) {
          problems.push(`Deployment ${name}: ${what} must come from a CloudNativePG Cluster's app Secret ` +
            `(${[...bySecret.keys()].join(', ')}), got ${JSON.stringify(ref || (e?.value !== undefined ? 'a literal value' : null))}`);
          return null;
        }
        if (!KEY_FOR[part].includes(ref.key)) {
          problems.push(`Deployment ${name}: ${what} reads key ${ref.key} of ${ref.name}; expected ${KEY_FOR[part].join(' or ')}`);
        }
        used.add(cluster);
        return cluster;
      };
      for (const n of DATASOURCE_ENV.slice(1)) if (at(n) >= 0) fromSecret(env[at(n)], n, n);

      const urlEnv = env[at(URL_ENV)];
      if (urlEnv?.valueFrom?.secretKeyRef) {
        // The operator's own URL: right by construction (though it carries the password: k8s/base/ingress-service).
        const ref = urlEnv.valueFrom.secretKeyRef;
        const cluster = bySecret.get(ref.name);
        if (!cluster || !URL_KEYS.includes(ref.key)) problems.push(`Deployment ${name}: ${URL_ENV} reads ${ref.name}:${ref.key}, not the ${URL_KEYS.join(' or ')} of a Cluster's app Secret`);
        else used.add(cluster);
      } else if (urlEnv) {
        const url = String(urlEnv.value || '');
        const index = at(URL_ENV);
        // Kubernetes expands $(VAR) only for variables defined before this one; anything else stays literal.
        for (const m of url.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          const defined = at(m[1]);
          if (defined < 0 || defined > index) problems.push(`Deployment ${name}: ${URL_ENV} refers to $(${m[1]}), which is not defined before it (Kubernetes leaves it unexpanded)`);
        }
        const m = url.match(/^jdbc:postgresql:\/\/([^/:?]+)(?::([^/?]+))?\/([^?]+)(?:\?.*)?$/);
        if (!m) {
          problems.push(`Deployment ${name}: ${URL_ENV} '${url}' is not a jdbc:postgresql://<host>[:<port>]/<database> URL`);
        } else {
          const [, host, port = PG_PORT, database] = m;
          /** A URL part: a literal, or $(VAR) of an env var read from an app Secret (then the Cluster it names). */
          const resolve = (value, part) => {
            const ref = value.match(/^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/);
            if (!ref) return { literal: value };
            const e = env[at(ref[1])];
            if (e?.value !== undefined) return { literal: e.value };
            return { cluster: fromSecret(e, part, `${URL_ENV}'s ${part} ($(${ref[1]}))`) };
          };
          const h = resolve(host, 'host');
          const p = resolve(port, 'port');
          const db = resolve(database, 'database');
          if (h.literal !== undefined) {
            // The primary's Service, <cluster>-rw, in any of its DNS forms: the services write.
            const cluster = clusters.find((c) => new RegExp(`^${c.metadata.name}-rw(\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?)?$`).test(h.literal));
            if (!cluster) problems.push(`Deployment ${name}: ${URL_ENV}'s host '${h.literal}' is not the primary (<cluster>-rw) of a Cluster of this overlay (${clusters.map((c) => c.metadata.name)})`);
            else used.add(cluster);
          }
          if (p.literal !== undefined && p.literal !== PG_PORT) problems.push(`Deployment ${name}: ${URL_ENV}'s port ${p.literal}, the Cluster's Services listen on ${PG_PORT}`);
          if (db.literal !== undefined) {
            for (const cluster of used) {
              if (db.literal !== bootstrapDatabase(cluster)) {
                problems.push(`Deployment ${name}: ${URL_ENV} names database '${db.literal}', Cluster ${cluster.metadata.name} bootstraps '${bootstrapDatabase(cluster)}'`);
              }
            }
          }
        }
      }
      if (used.size > 1) problems.push(`Deployment ${name}: its datasource mixes Clusters ${[...used].map((c) => c.metadata.name).join(', ')}`);
      if (used.size === 1) {
        const cluster = [...used][0];
        clients.get(cluster.metadata.name).push({ d, pods: podsAtMost(d, objects), pool: poolOf(root, d, c) });
      }
    }
    const use = databaseUseOf(root, serviceOf(d));
    if (!connects && use) problems.push(`Deployment ${name}: its service uses a database (${use}), but it sets no ${URL_ENV}`);
  }

  // --- the connection budget, per Cluster ----------------------------------------------------------
  for (const cluster of clusters) {
    const list = clients.get(cluster.metadata.name);
    if (list.length === 0) continue;
    const total = list.reduce((sum, x) => sum + x.pods * x.pool.size, 0);
    const max = parameter(cluster, 'max_connections');
    const limit = max - parameter(cluster, 'superuser_reserved_connections') - parameter(cluster, 'reserved_connections') - HEADROOM;
    const parts = list.map((x) => `${x.d.metadata.name} ${x.pods}×${x.pool.size}`).join(', ');
    if (list.some((x) => !(x.pool.size > 0))) problems.push(`Cluster ${cluster.metadata.name}: a client's pool size is not a number (${POOL_ENV})`);
    if (total > limit) {
      problems.push(`Cluster ${cluster.metadata.name}: its clients may open ${total} connections (pods at their autoscaler's maximum plus surge × pool max-size: ${parts}), ` +
        `more than max_connections ${max} leaves (${limit}, after the reserved connections and ${HEADROOM} of headroom)`);
    } else {
      notes.push(`Cluster ${cluster.metadata.name}: at most ${total} of ${limit} usable connections (max_connections ${max})`);
    }
  }
  return { problems, notes };
}
