// The Kafka rules over one rendered overlay: every client logs in on an authenticated listener as
// its own KafkaUser, each Deployment reads only its own user's Secret, and each user's ACLs are
// exactly what its service does (ACCESS below), over exactly the topics its code names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walk } from './files.mjs';

export const JAAS_ENV = 'KAFKA_SASL_JAAS_CONFIG';
/** The keys of the Secret that Strimzi's User Operator makes for a SCRAM-SHA-512 KafkaUser. */
export const USER_SECRET_KEYS = ['password', 'sasl.jaas.config'];
const REQUESTS = 'chat.requests.';
const MECHANISMS = { 'scram-sha-512': 'SCRAM-SHA-512' };

/**
 * What each user may do, by topic (`requests` = the request topics) and group: Read and Write
 * imply Describe; Create because every service creates its missing topics at start-up
 * (TopicDefinitions.ensure), which the broker answers "exists" only to a user that may create it.
 * Connectors' entries are per provider; `external` users have no Deployment of their own.
 */
const ACCESS = {
  'ingress-service': { topics: { requests: ['Write', 'Create'], 'chat.events': ['Write', 'Create'] } },
  'session-service': { topics: { 'chat.events': ['Read', 'Create'] } },
  'provider-connector-service': { topics: { requests: ['Read', 'Create'], 'chat.events': ['Read', 'Write', 'Create'] }, group: ['Read'] },
  analytics: { external: true, topics: { 'chat.events': ['Read'] }, groupPrefix: ['analytics-', 'Read'] },
  'keda-lag-reader': { external: true, topics: { requests: ['Describe'] }, groupPrefix: ['connector-', 'Describe'] },
};
/** Where each service's code is, for the topics it names. */
const SOURCES = { 'ingress-service': 'ingress-service', 'session-service': 'session-service', 'provider-connector-service': 'provider-connector-service' };

/** The topic constants of event-contract's Topics.java: NAME -> topic. */
export function contractTopics(root) {
  const file = walk(path.join(root, 'event-contract', 'src', 'main', 'java')).find((f) => f.endsWith(`${path.sep}Topics.java`));
  if (!file) return new Map();
  return new Map([...readFileSync(file, 'utf8').matchAll(/static final String ([A-Z_]+) = "([^"]+)";/g)]
    .filter((m) => m[1] !== 'REQUESTS_PREFIX').map((m) => [m[1], m[2]]));
}

/** Topics a service's main code names (Topics.X, Topics.requests(…), TopicDefinitions.x()); `requests` for the request topics. */
export function topicsUsedBy(root, service) {
  const constants = contractTopics(root);
  const used = new Set();
  for (const file of walk(path.join(root, SOURCES[service], 'src', 'main', 'java')).filter((f) => f.endsWith('.java'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bTopics\.([A-Z_]+)\b/g)) if (constants.has(m[1])) used.add(constants.get(m[1]));
    if (/\bTopics\.requests\(|\bTopicDefinitions\.requests\(/.test(text)) used.add('requests');
    for (const m of text.matchAll(/\bTopicDefinitions\.([a-z]+)\(/g)) {
      const c = constants.get(m[1].toUpperCase());
      if (c) used.add(c);
    }
  }
  return used;
}

/** The ACL topics (keys of ACCESS[service].topics) of each service, for comparison with topicsUsedBy. */
export const aclTopicsOf = (service) => new Set(Object.keys(ACCESS[service].topics));

const entry = (type, pattern, name, op) => `${type} ${pattern} ${name}: ${op}`;

function expectedAcls(userName, provider) {
  const service = provider ? 'provider-connector-service' : userName;
  const access = ACCESS[service];
  const out = new Set();
  for (const [topic, ops] of Object.entries(access.topics)) {
    const [pattern, name] = topic !== 'requests' ? ['literal', topic] : provider ? ['literal', REQUESTS + provider] : ['prefix', REQUESTS];
    ops.forEach((op) => out.add(entry('topic', pattern, name, op)));
  }
  if (access.group) access.group.forEach((op) => out.add(entry('group', 'literal', `connector-${provider}`, op)));
  if (access.groupPrefix) out.add(entry('group', 'prefix', ...access.groupPrefix));
  return out;
}

function actualAcls(user) {
  const out = new Set();
  for (const acl of user.spec?.authorization?.acls || []) {
    if ((acl.type || 'allow') !== 'allow') continue;
    const r = acl.resource || {};
    for (const op of acl.operations || []) out.add(entry(r.type, r.patternType || 'literal', r.name, op));
  }
  return out;
}

const envOf = (d) => (d.spec?.template?.spec?.containers || []).flatMap((c) => c.env || []);

/** Every Kafka rule over one overlay's objects; `providerOf` gives a connector Deployment's provider. */
export function checkKafkaUsers(objects, { providerOf, isConnector }) {
  const problems = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const users = new Map(byKind('KafkaUser').map((u) => [u.metadata.name, u]));
  const deployments = byKind('Deployment');
  const config = byKind('ConfigMap').find((c) => c.data?.KAFKA_BOOTSTRAP_SERVERS);

  for (const k of byKind('Kafka')) {
    if (k.spec?.kafka?.authorization?.type !== 'simple') problems.push(`Kafka ${k.metadata.name}: needs authorization type simple, so that the users' ACLs apply`);
    const port = Number(String(config?.data?.KAFKA_BOOTSTRAP_SERVERS || '').split(',')[0].split(':')[1]);
    const listener = (k.spec?.kafka?.listeners || []).find((l) => l.port === port);
    const auth = listener?.authentication?.type;
    if (!listener || !MECHANISMS[auth]) {
      problems.push(`Kafka ${k.metadata.name}: the services' listener (port ${port}) needs authentication scram-sha-512, has ${auth || 'none'}`);
    } else if (config) {
      const protocol = listener.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
      if (config.data.KAFKA_SECURITY_PROTOCOL !== protocol) problems.push(`ConfigMap ${config.metadata.name}: KAFKA_SECURITY_PROTOCOL '${config.data.KAFKA_SECURITY_PROTOCOL}', the listener on ${port} wants ${protocol}`);
      if (config.data.KAFKA_SASL_MECHANISM !== MECHANISMS[auth]) problems.push(`ConfigMap ${config.metadata.name}: KAFKA_SASL_MECHANISM '${config.data.KAFKA_SASL_MECHANISM}', the listener on ${port} wants ${MECHANISMS[auth]}`);
    }
  }

  const used = new Set();
  for (const d of deployments) {
    const name = d.metadata.name;
    const jaas = envOf(d).filter((e) => e.name === JAAS_ENV);
    const ref = jaas[0]?.valueFrom?.secretKeyRef;
    if (jaas.length !== 1 || ref?.name !== name || ref?.key !== 'sasl.jaas.config') {
      problems.push(`Deployment ${name}: ${JAAS_ENV} must come from its own KafkaUser's Secret (secretKeyRef ${name}/sasl.jaas.config), got ${JSON.stringify(ref || jaas[0]?.value || null)}`);
    }
    for (const e of envOf(d)) {
      const other = e.valueFrom?.secretKeyRef?.name;
      if (other && other !== name && users.has(other)) problems.push(`Deployment ${name}: reads the Secret of KafkaUser ${other}; each service logs in as its own user`);
    }
    if (!users.has(name)) { problems.push(`Deployment ${name}: no KafkaUser ${name}`); continue; }
    used.add(name);
    const provider = isConnector(d) ? providerOf(d) : null;
    if (!provider && !ACCESS[name]) { problems.push(`Deployment ${name}: no ACL rules known for this service (deploy-checks kafka-users.mjs)`); continue; }
    compare(users.get(name), expectedAcls(name, provider), problems);
  }
  for (const [name, access] of Object.entries(ACCESS).filter(([, a]) => a.external)) {
    if (users.has(name)) { used.add(name); compare(users.get(name), expectedAcls(name, null), problems); }
  }
  for (const name of users.keys()) if (!used.has(name)) problems.push(`KafkaUser ${name}: no Deployment of that name logs in with it`);
  for (const u of users.values()) {
    if (!MECHANISMS[u.spec?.authentication?.type]) problems.push(`KafkaUser ${u.metadata.name}: authentication ${u.spec?.authentication?.type}, the listener takes scram-sha-512`);
  }

  const auths = new Map(byKind('TriggerAuthentication').map((t) => [t.metadata.name, t]));
  for (const so of byKind('ScaledObject')) {
    for (const t of (so.spec?.triggers || []).filter((t) => t.type === 'kafka')) {
      const ta = auths.get(t.authenticationRef?.name);
      const password = ta?.spec?.secretTargetRef?.find((s) => s.parameter === 'password');
      if (!ta || !users.has(password?.name)) problems.push(`ScaledObject ${so.metadata.name}: its kafka trigger needs an authenticationRef to a TriggerAuthentication whose password is a KafkaUser's Secret`);
    }
  }
  return problems;
}

function compare(user, expected, problems) {
  const actual = actualAcls(user);
  const missing = [...expected].filter((e) => !actual.has(e));
  const extra = [...actual].filter((e) => !expected.has(e));
  if (missing.length) problems.push(`KafkaUser ${user.metadata.name}: ACLs miss ${missing.join('; ')}`);
  if (extra.length) problems.push(`KafkaUser ${user.metadata.name}: ACLs allow more than the service uses: ${extra.join('; ')}`);
}
