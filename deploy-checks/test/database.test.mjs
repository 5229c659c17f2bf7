// node --test: the database's rules (src/database.mjs and the compose part of src/static.mjs), each
// shown to catch its breakage in a copy of the repository (../test-support).
import { test } from 'node:test';
import path from 'node:path';
import { checkCompose } from '../src/static.mjs';
import { brokenCopy, problemsOf, assertCaught } from '../test-support/broken-copy.mjs';

const INGRESS = 'k8s/base/ingress-service/deployment.yaml';
const CONNECTOR = 'k8s/base/connector/deployment.yaml';
const secretRef = (key) => `              valueFrom:\n                secretKeyRef:\n                  name: gateway-db-app\n                  key: ${key}\n`;

test('a datasource not taken from the Cluster\'s app Secret fails', async () => {
  const problems = await problemsOf([
    [INGRESS, `            - name: QUARKUS_DATASOURCE_PASSWORD\n${secretRef('password')}`, '            - name: QUARKUS_DATASOURCE_PASSWORD\n              value: gateway\n'],
    [CONNECTOR, `            - name: QUARKUS_DATASOURCE_USERNAME\n${secretRef('username')}`,
      '            - name: QUARKUS_DATASOURCE_USERNAME\n              valueFrom:\n                secretKeyRef:\n                  name: gateway-api-keys\n                  key: GATEWAY_API_KEYS\n'],
    ['k8s/base/config/gateway.env', 'GATEWAY_STREAM_TOKEN_TTL=15m\n', 'GATEWAY_STREAM_TOKEN_TTL=15m\nQUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://gateway-db-rw:5432/gateway\n'],
  ]);
  assertCaught(problems, /Deployment ingress-service: QUARKUS_DATASOURCE_PASSWORD must come from a CloudNativePG Cluster's app Secret \(gateway-db-app\), got "a literal value"/);
  assertCaught(problems, /Deployment connector-openai: QUARKUS_DATASOURCE_USERNAME must come from a CloudNativePG Cluster's app Secret/);
  assertCaught(problems, /Deployment session-service: QUARKUS_DATASOURCE_JDBC_URL comes from ConfigMap\/gateway-config-\w+ \(envFrom\)/);
});

test('a JDBC URL on another database than the Cluster bootstraps, a replica, or an undefined $(VAR) fails', async () => {
  const problems = await problemsOf([
    ['k8s/base/database/cluster.yaml', '      database: gateway\n', '      database: chat\n'],
    [INGRESS, 'jdbc:postgresql://$(DB_HOST):$(DB_PORT)/$(DB_NAME)?', 'jdbc:postgresql://$(DB_HOST):$(DB_PORT)/gateway?'],
    [CONNECTOR, 'jdbc:postgresql://$(DB_HOST):$(DB_PORT)/$(DB_NAME)?', 'jdbc:postgresql://gateway-db-ro:$(DB_PORT)/$(DBNAME)?'],
  ]);
  assertCaught(problems, /Deployment ingress-service: QUARKUS_DATASOURCE_JDBC_URL names database 'gateway', Cluster gateway-db bootstraps 'chat'/);
  assertCaught(problems, /Deployment connector-openai: QUARKUS_DATASOURCE_JDBC_URL's host 'gateway-db-ro' is not the primary/);
  assertCaught(problems, /Deployment connector-openai: QUARKUS_DATASOURCE_JDBC_URL refers to \$\(DBNAME\), which is not defined before it/);
});

test('pools that could open more connections than the Cluster allows fail', async () => {
  // 7 fleets × 13 pods × 6 + 13 ingress pods × 8 = 650 > 500 - 3 - 20.
  assertCaught(await problemsOf([[CONNECTOR, '              value: "3"\n', '              value: "6"\n']]),
    /Cluster gateway-db: its clients may open 650 connections .*connector-openai 13×6.*ingress-service 13×8.*more than max_connections 500 leaves \(477/);
});

test('a service whose source uses a database but whose Deployment has no datasource fails, in k8s and in compose', async () => {
  const edits = [['session-service/pom.xml', '<dependencies>', '<dependencies>\n    <dependency>\n      <groupId>io.quarkus</groupId>\n      <artifactId>quarkus-jdbc-postgresql</artifactId>\n    </dependency>']];
  assertCaught(await problemsOf(edits),
    /Deployment session-service: its service uses a database \(quarkus-jdbc-postgresql in session-service\/pom.xml\), but it sets no QUARKUS_DATASOURCE_JDBC_URL/);
  const root = brokenCopy(edits);
  assertCaught(checkCompose(path.join(root, 'deploy', 'compose.yaml'), { root }).problems,
    /session-service uses a database \(quarkus-jdbc-postgresql in session-service\/pom.xml\) but has no QUARKUS_DATASOURCE_JDBC_URL/);
});

test('a compose datasource on another database or user than the postgres service, or not waiting for it, fails', () => {
  const root = brokenCopy([
    ['deploy/compose.yaml', 'jdbc:postgresql://postgres:5432/gateway', 'jdbc:postgresql://postgres:5432/chat'],
    ['deploy/compose.yaml', '  QUARKUS_DATASOURCE_USERNAME: gateway\n', '  QUARKUS_DATASOURCE_USERNAME: postgres\n'],
    ['deploy/compose.yaml', '  <<: *after-simulators\n  postgres:\n    condition: service_healthy\n', '  <<: *after-simulators\n  postgres:\n    condition: service_started\n'],
  ]);
  const { problems } = checkCompose(path.join(root, 'deploy', 'compose.yaml'), { root });
  assertCaught(problems, /ingress-service: QUARKUS_DATASOURCE_JDBC_URL names database 'chat', postgres creates 'gateway' \(POSTGRES_DB\)/);
  assertCaught(problems, /provider-connector-service: QUARKUS_DATASOURCE_USERNAME 'postgres', postgres's user is 'gateway'/);
  assertCaught(problems, /ingress-service must depend on postgres with condition service_healthy .* has service_started/);
});
