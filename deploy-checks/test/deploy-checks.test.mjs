// node --test: the repository's deployment passes every check, and each kind of breakage in a
// copy of it is caught (a check that cannot fail proves nothing). One short test per rule, in the
// order of the checks, sharing the broken-copy helper (../test-support); the database's rules are in
// database.test.mjs. Split further by rule family if this grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { checkRepository, checkOverlay, overlaysOf } from '../src/checks.mjs';
import { providersInSource } from '../src/gateway.mjs';
import { topicsUsedBy, aclTopicsOf } from '../src/kafka-users.mjs';
import { checkDockerfile, checkCompose, dockerfileOf, servicePort, SERVICES } from '../src/static.mjs';
import { ROOT, brokenCopy, problemsOf, assertCaught } from '../test-support/broken-copy.mjs';

test('every overlay renders and passes every check, and so do the Dockerfiles and compose.yaml', async (t) => {
  assert.deepEqual(overlaysOf(ROOT), ['dev', 'prod']);
  const { problems, notes } = await checkRepository(ROOT, { strictProviders: process.env.DEPLOY_CHECKS_STRICT_PROVIDERS === 'true' });
  notes.forEach((n) => t.diagnostic(n));
  assert.deepEqual(problems, []);
});

test('providers are read from the source tree', () => {
  const built = providersInSource(ROOT);
  assert.ok(built.has('demo') && built.has('openai'), [...built].join(','));
});

// --- Kubernetes API schemas (kubernetes-models + the client's models) ---------------------------
test('a wrong type in a Deployment fails', async () => {
  assertCaught(await problemsOf([['k8s/base/connector/deployment.yaml', '  replicas: 1\n', '  replicas: one\n']]),
    /Deployment chat-gateway\/connector-openai: \/spec\/replicas must be integer/);
});

test('an unknown (misspelt) field in a Deployment fails', async () => {
  assertCaught(await problemsOf([['k8s/base/session-service/deployment.yaml', 'readinessProbe:', 'readynessProbe:']]),
    /session-service: \/spec\/template\/spec\/containers\/0\/readynessProbe is not a field/);
});

test('a missing required field in a Service fails', async () => {
  assertCaught(await problemsOf([['k8s/base/session-service/service.yaml', '      port: 8081\n', '']]),
    /Service chat-gateway\/session-service: \/spec\/ports\/0 must have required property '?port'?/);
});

// --- Strimzi and KEDA CRD schemas -----------------------------------------------------------------
test('a KafkaTopic with 0 partitions fails against the Strimzi CRD', async () => {
  assertCaught(await problemsOf([['k8s/base/kafka/topics.yaml', 'partitions: 24', 'partitions: 0']]),
    /KafkaTopic chat-gateway\/chat.events: \/spec\/partitions must be >= 1 \[strimzi/);
});

test('an unknown field in a Kafka fails against the Strimzi CRD', async () => {
  assertCaught(await problemsOf([['k8s/base/kafka/kafka.yaml', '  entityOperator:', '  entityOperater:']]),
    /Kafka chat-gateway\/chat-kafka: \/spec must NOT have additional properties 'entityOperater' \(unknown field\)/);
});

test('a KafkaNodePool with an unknown role fails against the Strimzi CRD', async () => {
  assertCaught(await problemsOf([['k8s/overlays/prod/kafka-node-pools.yaml', '    - broker\n', '    - brokers\n']]),
    /KafkaNodePool chat-gateway\/brokers: \/spec\/roles\/0 must be equal to one of the allowed values/);
});

test('a ScaledObject without its target fails against the KEDA CRD', async () => {
  assertCaught(await problemsOf([['k8s/base/connector/scaledobject.yaml', '  scaleTargetRef:\n    name: connector\n', '']]),
    /ScaledObject chat-gateway\/connector-openai: \/spec must have required property 'scaleTargetRef'/);
});

test('a Cluster with a wrong type or an unknown field fails against the CloudNativePG CRD', async () => {
  const problems = await problemsOf([
    ['k8s/base/database/cluster.yaml', '  instances: 1\n', '  instances: one\n'],
    ['k8s/base/database/cluster.yaml', '      dataChecksums: true\n', '      dataChecksum: true\n'],
  ], 'dev');
  assertCaught(problems, /Cluster chat-gateway\/gateway-db: \/spec\/instances must be integer \[cnpg-1\.30\.0/);
  assertCaught(problems, /Cluster chat-gateway\/gateway-db: \/spec\/bootstrap\/initdb must NOT have additional properties 'dataChecksum' \(unknown field\)/);
});

test('a kind without any schema fails', async () => {
  assertCaught(await problemsOf([
    ['k8s/overlays/prod/extra.yaml', null, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n'],
    ['k8s/overlays/prod/kustomization.yaml', '  - kafka-node-pools.yaml\n', '  - kafka-node-pools.yaml\n  - extra.yaml\n'],
  ]), /Widget chat-gateway\/w: no schema for example.com\/v1 Widget/);
});

// --- rendering --------------------------------------------------------------------------------
test('an overlay that does not render fails', async () => {
  assertCaught(await problemsOf([['k8s/base/kustomization.yaml', '  - connectors\n', '  - connectors\n  - missing-folder\n']], 'dev'),
    /k8s\/overlays\/dev: kustomize cannot render/);
});

// --- the gateway's rules ------------------------------------------------------------------------
/**
 * Edits adding a vendor `provider` the way README.md ("Adding a vendor") says, from the openai
 * one: its providers/<provider>/k8s/ folder only (and, unless `built` is false, its bean).
 */
const newVendor = (provider, { built = true } = {}) => {
  const P = provider.toUpperCase();
  const edits = [
    [`providers/${provider}/k8s/kustomization.yaml`, null,
      readFileSync(path.join(ROOT, 'providers/openai/k8s/kustomization.yaml'), 'utf8').replaceAll('openai', provider)],
    [`providers/${provider}/k8s/credentials.env`, null, `GATEWAY_BOTS_${P}_API_KEY=REPLACE-ME\n`],
    [`providers/${provider}/k8s/bot.env`, null, `GATEWAY_BOTS_${P}_PROVIDER=${provider}\nGATEWAY_BOTS_${P}_URL=https://example.com\n`],
  ];
  if (built) {
    edits.push([`providers/${provider}/src/main/java/io/chatstream/provider/${provider}/${P}Provider.java`, null,
      `@Identifier("${provider}")\npublic class ${P}Provider {}\n`]);
  }
  return edits;
};

test('a vendor added as its providers/<name>/k8s/ folder gets its fleet, topic, user, bot and credential, with no edit under k8s/', async () => {
  const root = brokenCopy(newVendor('acme'));
  for (const overlay of ['dev', 'prod']) {
    const { objects, problems } = await checkOverlay(root, overlay);
    assert.deepEqual(problems, []);
    const named = (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    assert.ok(named('Deployment', 'connector-acme'), 'the fleet');
    assert.ok(named('KafkaTopic', 'chat.requests.acme'), 'its request topic');
    const acls = named('KafkaUser', 'connector-acme').spec.authorization.acls.map((a) => a.resource.name);
    assert.ok(acls.includes('chat.requests.acme') && acls.includes('connector-acme'), acls.join(','));
    const bots = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('gateway-bots'));
    assert.equal(bots.data.GATEWAY_BOTS_ACME_PROVIDER, 'acme');
    if (overlay === 'prod') assert.equal(named('ScaledObject', 'connector-acme').spec.triggers[0].metadata.consumerGroup, 'connector-acme');
  }
});

test('a connector Deployment naming a provider that does not exist fails', async () => {
  assertCaught(await problemsOf(newVendor('nosuchvendor', { built: false })),
    /Deployment connector-nosuchvendor: provider 'nosuchvendor' does not exist in provider-connector-service \(built: .*demo.*openai/);
});

test('providers of the contract not built yet are reported, and fail in strict mode', async () => {
  const root = brokenCopy([]);
  const lenient = await checkOverlay(root, 'prod');
  const pending = [...providersInContractMinusBuilt()];
  if (pending.length === 0) return; // every provider is built: nothing pending to report
  assert.deepEqual(lenient.problems, []);
  assert.ok(lenient.notes.some((n) => pending.every((p) => n.includes(`connector-${p} (${p})`))), lenient.notes.join('\n'));
  const strict = await checkOverlay(root, 'prod', { strictProviders: true });
  for (const p of pending) assertCaught(strict.problems, new RegExp(`connector-${p}: provider '${p}' does not exist.*in the contract but not built yet`));
});

function providersInContractMinusBuilt() {
  const built = providersInSource(ROOT);
  return ['lingoblocks', 'chatbotkit', 'chatbase', 'aui', 'snackprompt'].filter((p) => !built.has(p));
}

test("a bot whose Secret key its connectors do not read fails", async () => {
  assertCaught(await problemsOf([['providers/openai/k8s/kustomization.yaml', 'components:\n  - ../../../k8s/base/connector/credentials\n', '']]),
    /bot openai: Deployment connector-openai does not read GATEWAY_BOTS_OPENAI_API_KEY from a Secret/);
});

test('a bot without a credential in any Secret fails', async () => {
  assertCaught(await problemsOf([['providers/chatbase/k8s/credentials.env', 'GATEWAY_BOTS_CHATBASE_API_KEY', 'GATEWAY_BOTS_CHATBASE_APIKEY']]),
    /bot chatbase: no Secret holds GATEWAY_BOTS_CHATBASE_API_KEY/);
});

test('a secret in a ConfigMap fails, and so does a real-looking committed secret', async () => {
  const problems = await problemsOf([
    ['providers/demo/k8s/bot.env', 'GATEWAY_BOTS_DEMO_PROVIDER=demo\n', 'GATEWAY_BOTS_DEMO_PROVIDER=demo\nGATEWAY_BOTS_OPENAI_API_KEY=sk-live\n'],
    ['k8s/base/config/secrets/api-keys.env', 'REPLACE-ME-api-key-1,REPLACE-ME-api-key-2', 'k3y-from-production'],
  ]);
  assertCaught(problems, /ConfigMap gateway-bots-\w+: key GATEWAY_BOTS_OPENAI_API_KEY looks secret/);
  assertCaught(problems, /Secret gateway-api-keys-\w+: GATEWAY_API_KEYS is not a REPLACE-ME placeholder/);
});

test("a ScaledObject on another group or topic than its connectors' fails", async () => {
  // An overlay's patch, applied after k8s/generate-connectors.sh wired the fleet.
  const problems = await problemsOf([['k8s/overlays/prod/kustomization.yaml', 'patches:\n', 'patches:\n' +
    '  - target: {kind: ScaledObject, name: connector-chatbase}\n    patch: |-\n' +
    '      - {op: replace, path: /spec/triggers/0/metadata/consumerGroup, value: connector-chatbot}\n']]);
  assertCaught(problems, /ScaledObject connector-chatbase: consumerGroup 'connector-chatbot', the connectors' group is 'connector-chatbase'/);
});

test('a connector fleet with two autoscalers, or scaled past its partitions, fails', async () => {
  const problems = await problemsOf([
    ['k8s/overlays/prod/kustomization.yaml', '  - ../../components/connector-autoscaling-keda\n', ''],
    ['k8s/base/connector/hpa.yaml', 'maxReplicas: 12', 'maxReplicas: 20'],
  ]);
  assertCaught(problems, /Deployment connector-openai: needs exactly one autoscaler .* has 1 ScaledObject\(s\) and 1 HPA\(s\)/);
  assertCaught(problems, /HorizontalPodAutoscaler connector-openai: maxReplicas 20 > 12 partitions of chat.requests.openai/);
});

test('KEDA pointed at a bootstrap address of another namespace fails', async () => {
  assertCaught(await problemsOf([['k8s/overlays/prod/kustomization.yaml', 'namespace: chat-gateway', 'namespace: chat-prod']]),
    /bootstrapServers 'chat-kafka-kafka-bootstrap.chat-gateway.svc:9092' is not chat-kafka-kafka-bootstrap.chat-prod.svc/);
});

test('a Deployment without its probes fails', async () => {
  assertCaught(await problemsOf([['k8s/base/ingress-service/deployment.yaml', 'path: /q/health/started', 'path: /health']]),
    /Deployment ingress-service: container ingress-service needs a startupProbe on \/q\/health\/started/);
});

// --- Kafka users and ACLs --------------------------------------------------------------------------
test('the ACL rules name exactly the topics each service\'s code uses', () => {
  for (const service of ['ingress-service', 'session-service', 'provider-connector-service']) {
    assert.deepEqual([...topicsUsedBy(ROOT, service)].sort(), [...aclTopicsOf(service)].sort(), service);
  }
});

test('a listener without authentication, or a cluster without authorization, fails', async () => {
  const problems = await problemsOf([
    ['k8s/base/kafka/kafka.yaml', '        authentication:\n          type: scram-sha-512\n', ''],
    ['k8s/base/kafka/kafka.yaml', '    authorization:\n      type: simple\n', ''],
  ]);
  assertCaught(problems, /Kafka chat-kafka: the services' listener \(port 9092\) needs authentication scram-sha-512, has none/);
  assertCaught(problems, /Kafka chat-kafka: needs authorization type simple/);
});

test('a Deployment logging in as another service, or without its own user, fails', async () => {
  const problems = await problemsOf([
    ['k8s/base/session-service/deployment.yaml', '                  name: session-service\n', '                  name: connector-openai\n'],
    ['k8s/base/ingress-service/kustomization.yaml', '  - kafkauser.yaml\n', ''],
  ]);
  assertCaught(problems, /Deployment session-service: KAFKA_SASL_JAAS_CONFIG must come from its own KafkaUser's Secret/);
  assertCaught(problems, /Deployment session-service: reads the Secret of KafkaUser connector-openai/);
  assertCaught(problems, /Deployment ingress-service: no KafkaUser ingress-service/);
});

test('ACLs wider or narrower than what the service uses fail', async () => {
  const problems = await problemsOf([
    ['k8s/base/session-service/kafkauser.yaml', 'operations: [Read, Create]', 'operations: [Read, Write, Create]'],
    ['k8s/base/connector/kafkauser.yaml', '        operations: [Read, Write, Create]\n', '        operations: [Read, Create]\n'],
  ]);
  assertCaught(problems, /KafkaUser session-service: ACLs allow more than the service uses: topic literal chat.events: Write/);
  assertCaught(problems, /KafkaUser connector-openai: ACLs miss topic literal chat.events: Write/);
});

test('services set to another protocol than the listener, or KEDA without a login, fail', async () => {
  const problems = await problemsOf([
    ['k8s/base/config/gateway.env', 'KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT', 'KAFKA_SECURITY_PROTOCOL=PLAINTEXT'],
    ['k8s/base/connector/scaledobject.yaml', '      authenticationRef:\n        name: keda-kafka\n', ''],
  ]);
  assertCaught(problems, /KAFKA_SECURITY_PROTOCOL 'PLAINTEXT', the listener on 9092 wants SASL_PLAINTEXT/);
  assertCaught(problems, /ScaledObject connector-openai: its kafka trigger needs an authenticationRef/);
});

// --- Dockerfiles and compose (static) -----------------------------------------------------------
test('a Dockerfile running as root, on an unpinned image, exposing the wrong port fails', () => {
  const root = brokenCopy([
    ['session-service/src/main/docker/Dockerfile.jvm', 'USER 185', 'USER root'],
    ['session-service/src/main/docker/Dockerfile.jvm', 'openjdk-17-runtime:1.23', 'openjdk-17-runtime:latest'],
    ['session-service/src/main/docker/Dockerfile.jvm', 'EXPOSE 8081', 'EXPOSE 8080'],
  ]);
  const { problems } = checkDockerfile(dockerfileOf(root, 'session-service'), { context: root, port: servicePort(root, 'session-service') });
  assertCaught(problems, /non-root USER \(has root\)/);
  assertCaught(problems, /base image .* is not pinned/);
  assertCaught(problems, /EXPOSE 8080, the service listens on 8081/);
});

test("a Dockerfile's COPY sources must exist after a build, and lint errors fail", () => {
  const root = brokenCopy([['ingress-service/src/main/docker/Dockerfile.jvm', 'COPY --chown=185 ingress-service/target/quarkus-app/app/ /deployments/app/',
    'COPY --chown=185 ingress-service/target/quarkus-ap/app/ /deployments/app/\nEXPOSE http']]);
  mkdirSync(path.join(root, 'ingress-service/target/quarkus-app/lib'), { recursive: true });
  mkdirSync(path.join(root, 'ingress-service/target/quarkus-app/quarkus'), { recursive: true });
  writeFileSync(path.join(root, 'ingress-service/target/quarkus-app/quarkus-run.jar'), '');
  const { problems } = checkDockerfile(dockerfileOf(root, 'ingress-service'), { context: root, port: 8080 });
  assertCaught(problems, /COPY source ingress-service\/target\/quarkus-ap\/app\/ does not exist after the build/);
  assertCaught(problems, /error: Invalid containerPort: http/);
});

test('the Dockerfiles copy what the packaged services contain, where they were packaged', (t) => {
  for (const s of SERVICES) {
    const built = existsSync(path.join(ROOT, s, 'target', 'quarkus-app', 'quarkus-run.jar'));
    const { problems, notes } = checkDockerfile(dockerfileOf(ROOT, s), { context: ROOT, port: servicePort(ROOT, s), requireBuild: built });
    notes.forEach((n) => t.diagnostic(n));
    assert.deepEqual(problems, []);
  }
});

test('a compose file with an unknown key, a dangling depends_on or a wrong broker address fails', () => {
  const root = brokenCopy([
    ['deploy/compose.yaml', '    ports:\n      - "8081:8081"', '    portz:\n      - "8081:8081"'],
    ['deploy/compose.yaml', '    network_mode: "service:simulators"', '    network_mode: "service:simulator"'],
    ['deploy/compose.yaml', 'KAFKA_BOOTSTRAP_SERVERS: kafka:9092', 'KAFKA_BOOTSTRAP_SERVERS: kafka:9093'],
  ]);
  const { problems } = checkCompose(path.join(root, 'deploy', 'compose.yaml'), { root });
  assertCaught(problems, /\/services\/session-service must NOT have additional properties 'portz'/);
  assertCaught(problems, /provider-connector-service shares the network of unknown service simulator/);
  assertCaught(problems, /ingress-service: kafka:9093 is not a listener that kafka advertises/);
});
