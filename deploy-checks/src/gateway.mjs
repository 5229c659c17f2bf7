// The gateway's own rules over one rendered overlay: what no schema can know. Each rule returns
// problems (the overlay is wrong) and notes (worth reading, not wrong).
import { USER_SECRET_KEYS } from './kafka-users.mjs';
import { appSecretOf } from './database.mjs';
import { PROVIDER_MODULES, PROVIDER_PACKAGES, providersInContract, providersInSource } from './providers.mjs';

export { providersInContract, providersInSource };

export const CONNECTOR_APP = 'provider-connector-service';
export const PROVIDER_LABEL = 'chatstream.io/provider';
/** Topics every service expects (docs/api.md and event-contract TopicDefinitions), with their cleanup policy. */
const SHARED_TOPICS = {
  'chat.events': 'delete',
};
const SECRET_LOOKING_KEY = /(_API_KEYS?|_SECRET|_PASSWORD|_TOKEN|_CREDENTIALS?)$/;

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const podSpec = (o) => o.spec?.template?.spec || {};
const containers = (o) => [...(podSpec(o).initContainers || []), ...(podSpec(o).containers || [])];
export const isConnector = (d) => d.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === CONNECTOR_APP;
export const providerOf = (d) => d.spec?.template?.metadata?.labels?.[PROVIDER_LABEL];
const envData = (o) => ({ ...(o.data || {}), ...(o.stringData || {}) });

function configuredProviders(d) {
  for (const c of containers(d)) {
    const env = (c.env || []).find((e) => e.name === 'GATEWAY_CONNECTOR_PROVIDERS');
    if (!env) continue;
    if (env.value !== undefined) return env.value.split(',').map((s) => s.trim());
    const ref = env.valueFrom?.fieldRef?.fieldPath;
    const m = ref && ref.match(/^metadata\.labels\['(.+)'\]$/);
    if (m) return [d.spec.template.metadata.labels?.[m[1]]].filter(Boolean);
  }
  return null;
}

/** Every rule over one rendered overlay. `strictProviders`: a contract provider not built yet is a problem, not a note. */
export function checkGateway(objects, { root, strictProviders = false } = {}) {
  const problems = [];
  const notes = [];
  const built = providersInSource(root);
  const promised = providersInContract(root);
  const deployments = byKind(objects, 'Deployment');
  const configMaps = byKind(objects, 'ConfigMap');
  const secrets = byKind(objects, 'Secret');
  const topics = new Map(byKind(objects, 'KafkaTopic').map((t) => [t.spec?.topicName || t.metadata.name, t]));
  const scaledObjects = byKind(objects, 'ScaledObject');
  const hpas = byKind(objects, 'HorizontalPodAutoscaler');
  const kafkas = byKind(objects, 'Kafka');

  if (built.size === 0) problems.push(`no @Identifier provider found under ${PROVIDER_MODULES}/*/ or ${PROVIDER_PACKAGES}: wrong repository root?`);

  // --- bots (env form, from the ConfigMaps every service reads) ---------------------------------
  const bots = new Map(); // bot -> provider
  for (const cm of configMaps) {
    for (const [key, value] of Object.entries(cm.data || {})) {
      const m = key.match(/^GATEWAY_BOTS_([A-Z][A-Z0-9]*)_PROVIDER$/);
      if (m) bots.set(m[1], value);
      if (SECRET_LOOKING_KEY.test(key)) problems.push(`ConfigMap ${cm.metadata.name}: key ${key} looks secret; it belongs in a Secret`);
    }
  }

  // --- what each workload reads ---------------------------------------------------------------
  const secretByName = new Map(secrets.map((s) => [s.metadata.name, s]));
  // The Secrets Strimzi makes for the KafkaUsers, and CloudNativePG for each Cluster's application
  // user, are not in the overlay, but will be in the cluster.
  const userSecrets = new Set([
    ...byKind(objects, 'KafkaUser').flatMap((u) => USER_SECRET_KEYS.map((k) => `${u.metadata.name}:${k}`)),
    ...byKind(objects, 'Cluster').flatMap((c) => { const s = appSecretOf(c); return s.keys.map((k) => `${s.name}:${k}`); }),
  ]);
  const configMapByName = new Map(configMaps.map((c) => [c.metadata.name, c]));
  const secretKeysOf = (d) => { // keys of Secrets this Deployment's containers receive
    const keys = new Set();
    for (const c of containers(d)) {
      for (const from of c.envFrom || []) {
        const s = from.secretRef && secretByName.get(from.secretRef.name);
        if (s) Object.keys(envData(s)).forEach((k) => keys.add(`${s.metadata.name}:${k}`));
      }
      for (const e of c.env || []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) keys.add(`${ref.name}:${ref.key}`);
      }
    }
    return keys;
  };
  const consumed = new Set();
  for (const d of deployments) {
    secretKeysOf(d).forEach((k) => consumed.add(k));
    for (const c of containers(d)) {
      for (const from of c.envFrom || []) {
        if (from.secretRef && !from.secretRef.optional && !secretByName.has(from.secretRef.name)) {
          problems.push(`Deployment ${d.metadata.name}: reads Secret ${from.secretRef.name}, which is not in the overlay`);
        }
        if (from.configMapRef && !from.configMapRef.optional && !configMapByName.has(from.configMapRef.name)) {
          problems.push(`Deployment ${d.metadata.name}: reads ConfigMap ${from.configMapRef.name}, which is not in the overlay`);
        }
      }
      for (const e of c.env || []) {
        const ref = e.valueFrom?.secretKeyRef;
        const exists = (secretByName.has(ref?.name) && ref.key in envData(secretByName.get(ref.name))) || userSecrets.has(`${ref?.name}:${ref?.key}`);
        if (ref && !ref.optional && !exists) {
          problems.push(`Deployment ${d.metadata.name}: env ${e.name} reads ${ref.name}:${ref.key}, which does not exist`);
        }
      }
    }
  }
  for (const s of secrets) {
    for (const key of Object.keys(envData(s))) {
      if (!consumed.has(`${s.metadata.name}:${key}`)) problems.push(`Secret ${s.metadata.name}: key ${key} is read by no Deployment`);
    }
  }

  // --- connectors -------------------------------------------------------------------------------
  const connectors = deployments.filter(isConnector);
  const connectorsByProvider = new Map();
  const pending = [];
  for (const d of connectors) {
    const name = d.metadata.name;
    const provider = providerOf(d);
    const configured = configuredProviders(d);
    if (!provider) { problems.push(`Deployment ${name}: connector without a ${PROVIDER_LABEL} label`); continue; }
    if (!configured || configured.length !== 1 || configured[0] !== provider) {
      problems.push(`Deployment ${name}: GATEWAY_CONNECTOR_PROVIDERS must name its one provider '${provider}', got ${JSON.stringify(configured)}`);
    }
    connectorsByProvider.set(provider, [...(connectorsByProvider.get(provider) || []), d]);
    if (!built.has(provider)) {
      if (promised.has(provider) && !strictProviders) {
        pending.push(`${name} (${provider})`);
      } else {
        problems.push(`Deployment ${name}: provider '${provider}' does not exist in provider-connector-service ` +
          `(built: ${[...built].sort().join(', ')})${promised.has(provider) ? '; it is in the contract but not built yet' : ''}`);
      }
    }
    const topicName = `chat.requests.${provider}`;
    const topic = topics.get(topicName);
    if (!topic) problems.push(`Deployment ${name}: no KafkaTopic ${topicName}`);
    const partitions = topic?.spec?.partitions;
    if (![...bots.values()].includes(provider)) problems.push(`Deployment ${name}: no bot uses provider '${provider}', so no request ever reaches it`);

    const sos = scaledObjects.filter((so) => so.spec?.scaleTargetRef?.name === name && (so.spec.scaleTargetRef.kind || 'Deployment') === 'Deployment');
    const hs = hpas.filter((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
    if (sos.length + hs.length !== 1) {
      problems.push(`Deployment ${name}: needs exactly one autoscaler (a ScaledObject or an HPA), has ${sos.length} ScaledObject(s) and ${hs.length} HPA(s)`);
    }
    for (const so of sos) {
      const kafkaTriggers = (so.spec.triggers || []).filter((t) => t.type === 'kafka');
      if (kafkaTriggers.length === 0) problems.push(`ScaledObject ${so.metadata.name}: no kafka trigger`);
      for (const t of kafkaTriggers) {
        const md = t.metadata || {};
        if (md.consumerGroup !== `connector-${provider}`) problems.push(`ScaledObject ${so.metadata.name}: consumerGroup '${md.consumerGroup}', the connectors' group is 'connector-${provider}'`);
        if (md.topic !== topicName) problems.push(`ScaledObject ${so.metadata.name}: topic '${md.topic}', expected '${topicName}'`);
        for (const k of kafkas) {
          const ns = k.metadata.namespace;
          const expected = `${k.metadata.name}-kafka-bootstrap.${ns}.svc`;
          const hosts = String(md.bootstrapServers || '').split(',').map((h) => h.trim().split(':')[0].replace(/\.cluster\.local$/, ''));
          if (!hosts.includes(expected)) problems.push(`ScaledObject ${so.metadata.name}: bootstrapServers '${md.bootstrapServers}' is not ${expected}:<port> (KEDA connects from its own namespace)`);
        }
      }
      if (partitions && so.spec.maxReplicaCount > partitions) problems.push(`ScaledObject ${so.metadata.name}: maxReplicaCount ${so.spec.maxReplicaCount} > ${partitions} partitions of ${topicName}`);
    }
    for (const h of hs) {
      if (partitions && h.spec.maxReplicas > partitions) problems.push(`HorizontalPodAutoscaler ${h.metadata.name}: maxReplicas ${h.spec.maxReplicas} > ${partitions} partitions of ${topicName}`);
    }
  }
  if (pending.length) {
    notes.push(`connector Deployments naming providers that provider-connector-service does not have yet ` +
      `(in docs/api.md, not built; they would crash-loop until built): ${pending.join(', ')}`);
  }
  for (const [provider, ds] of connectorsByProvider) {
    if (ds.length > 1) problems.push(`provider '${provider}' has ${ds.length} connector Deployments (${ds.map((d) => d.metadata.name)}); one fleet per vendor`);
  }

  // --- every bot: a connector fleet, and its credential in a Secret that fleet reads ------------
  for (const [bot, provider] of bots) {
    const fleets = connectorsByProvider.get(provider) || [];
    if (fleets.length === 0) { problems.push(`bot ${bot.toLowerCase()}: no connector Deployment serves its provider '${provider}'`); continue; }
    if (provider === 'demo') continue; // built in: no vendor, no credential
    const key = `GATEWAY_BOTS_${bot}_API_KEY`;
    const holders = secrets.filter((s) => key in envData(s));
    if (holders.length === 0) { problems.push(`bot ${bot.toLowerCase()}: no Secret holds ${key}`); continue; }
    for (const d of fleets) {
      if (![...secretKeysOf(d)].some((k) => k.endsWith(`:${key}`))) problems.push(`bot ${bot.toLowerCase()}: Deployment ${d.metadata.name} does not read ${key} from a Secret`);
    }
    for (const d of deployments.filter((d) => !fleets.includes(d))) {
      if ([...secretKeysOf(d)].some((k) => k.endsWith(`:${key}`))) problems.push(`bot ${bot.toLowerCase()}: ${key} also reaches Deployment ${d.metadata.name}; only its vendor's connectors need it`);
    }
  }

  // --- shared topics, and Kafka's address as the services see it -------------------------------
  for (const [name, policy] of Object.entries(SHARED_TOPICS)) {
    const t = topics.get(name);
    if (!t) { problems.push(`no KafkaTopic ${name}`); continue; }
    const actual = t.spec?.config?.['cleanup.policy'] || 'delete';
    if (actual !== policy) problems.push(`KafkaTopic ${name}: cleanup.policy '${actual}', expected '${policy}'`);
  }
  for (const cm of configMaps) {
    const servers = cm.data?.KAFKA_BOOTSTRAP_SERVERS;
    if (!servers) continue;
    const bootstrapServices = kafkas.map((k) => `${k.metadata.name}-kafka-bootstrap`);
    const hosts = servers.split(',').map((h) => h.trim().split(':')[0].split('.')[0]);
    if (!hosts.some((h) => bootstrapServices.includes(h))) problems.push(`ConfigMap ${cm.metadata.name}: KAFKA_BOOTSTRAP_SERVERS '${servers}' is not a Kafka bootstrap Service of this overlay (${bootstrapServices})`);
  }

  // --- every workload: probes on the SmallRye Health endpoints, resources, a disruption budget ---
  const pdbs = byKind(objects, 'PodDisruptionBudget');
  for (const d of deployments) {
    for (const c of podSpec(d).containers || []) {
      for (const [probe, p] of [['startupProbe', '/q/health/started'], ['livenessProbe', '/q/health/live'], ['readinessProbe', '/q/health/ready']]) {
        if (c[probe]?.httpGet?.path !== p) problems.push(`Deployment ${d.metadata.name}: container ${c.name} needs a ${probe} on ${p}`);
      }
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) {
        problems.push(`Deployment ${d.metadata.name}: container ${c.name} needs cpu and memory requests and a memory limit`);
      }
    }
    const labels = d.spec?.template?.metadata?.labels || {};
    const covered = pdbs.some((p) => Object.entries(p.spec?.selector?.matchLabels || { '': null }).every(([k, v]) => labels[k] === v));
    if (!covered) problems.push(`Deployment ${d.metadata.name}: no PodDisruptionBudget selects its pods`);
  }
  return { problems, notes };
}

/** Committed Secret values must be placeholders, so that no real credential lands in git. */
export function checkPlaceholderSecrets(objects) {
  const problems = [];
  for (const s of byKind(objects, 'Secret')) {
    for (const [key, value] of Object.entries(s.data || {})) {
      const text = Buffer.from(value, 'base64').toString('utf8');
      if (!text.includes('REPLACE-ME')) problems.push(`Secret ${s.metadata.name}: ${key} is not a REPLACE-ME placeholder: a real credential must not be committed`);
    }
    for (const [key, value] of Object.entries(s.stringData || {})) {
      if (!String(value).includes('REPLACE-ME')) problems.push(`Secret ${s.metadata.name}: ${key} is not a REPLACE-ME placeholder: a real credential must not be committed`);
    }
  }
  return problems;
}
