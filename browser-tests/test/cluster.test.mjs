// deploy/run-local.sh as a local cluster (no browser): two ingress and two session replicas behind
// HAProxy, on free loopback ports. A message is posted and streamed through the balancers; the
// session replica that carries the stream is killed (kill -9) mid-answer, the client reconnects
// through the balancer with its cursor and gets the rest, exactly; a new message completes; the
// script reports the dead replica, starts it again on SIGUSR1, and on SIGTERM leaves no process.
// Needs haproxy (apt-get install haproxy; .ci/run installs it): skipped without it, unless CI is set.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { portsFor, startGateway } from '../lib/gateway.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const RUN_DIR = path.join(ROOT, 'browser-tests', 'target', 'run-cluster');
const API_KEY = 'cluster-test-key';
const TERMINAL = /^message\.(completed|failed|cancelled)$/;

function findHaproxy() {
  for (const candidate of ['haproxy', '/usr/sbin/haproxy']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch (e) {
      // Not this one.
    }
  }
  return null;
}
const HAPROXY = findHaproxy();
if (!HAPROXY && process.env.CI) {
  throw new Error('cluster.test.mjs: haproxy is missing, and CI is set: install it (apt-get install haproxy), as .ci/run does.');
}
const skip = HAPROXY ? false : 'haproxy is missing (apt-get install haproxy to run this; with CI set, this fails)';

let gateway;
let ports;

before(
  async () => {
    if (skip) {
      return;
    }
    ports = await portsFor(path.join(ROOT, 'deploy', 'run-local.sh'));
    gateway = await startGateway({
      root: ROOT,
      runDir: RUN_DIR,
      ports,
      env: {
        HAPROXY,
        // C1 only: seven JVMs start on two cores with a third less CPU (this test is about
        // processes, not speed).
        JAVA_OPTS: '-Xmx384m -XX:TieredStopAtLevel=1',
        INGRESS_REPLICAS: '2',
        SESSION_REPLICAS: '2',
        GATEWAY_API_KEYS: API_KEY,
        // A paced answer of ~8 s: long enough to kill its replica half-way on a busy machine.
        GATEWAY_BOTS_SLOW_PROVIDER: 'demo',
        GATEWAY_BOTS_SLOW_TOKENS: '320',
        GATEWAY_BOTS_SLOW_PACE: '25ms',
      },
      readyTimeoutMs: 170_000,
      log: (line) => console.log(`# ${line}`),
    });
  },
  { timeout: 180_000 },
);

after(
  async () => {
    if (gateway) {
      await gateway.stop();
    }
  },
  { timeout: 60_000 },
);

// --- helpers ----------------------------------------------------------------------------------

function processes() {
  return JSON.parse(fs.readFileSync(path.join(RUN_DIR, 'processes.json'), 'utf8'));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return false;
  }
}

async function eventually(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** POST a message through the ingress balancer; the answer's body (streamUrl …). */
async function post(session, bot, text) {
  const response = await fetch(`${gateway.ingressUrl}/v1/sessions/${session}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ bot, text }),
  });
  assert.equal(response.status, 202, await response.clone().text());
  return response.json();
}

/** A WebSocket on a stream URL: the events it received, and how it closed. */
function openStream(url) {
  const events = [];
  const ws = new WebSocket(url);
  const closed = new Promise((resolve) => {
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString());
      events.push(event);
      if (TERMINAL.test(event.type)) {
        ws.close(1000);
      }
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => {}); // a killed server: 'close' follows with 1006
  });
  return { events, closed };
}

/** HAProxy's view of one backend: server name → { status, current, total } sessions. */
async function backend(name) {
  const csv = await (await fetch(`http://127.0.0.1:${ports.HAPROXY_STATS_PORT}/;csv`)).text();
  const servers = {};
  for (const line of csv.split('\n')) {
    const f = line.split(',');
    if (f[0] === name && !['FRONTEND', 'BACKEND'].includes(f[1])) {
      servers[f[1]] = { current: Number(f[4]), total: Number(f[7]), status: f[17] };
    }
  }
  return servers;
}

/** Every message event in seq order, once: 0..terminal, merged deltas (fromSeq..seq) included. */
function assertExactly(events) {
  const terminal = events.find((e) => TERMINAL.test(e.type));
  assert.ok(terminal, `no terminal event in ${events.length} events`);
  let next = 0;
  let text = '';
  for (const event of events) {
    const from = event.fromSeq ?? event.seq;
    assert.equal(from, next, `a gap or an overlap at seq ${next}: ${JSON.stringify(event)}`);
    next = event.seq + 1;
    if (event.type === 'message.delta') {
      text += event.text;
    }
  }
  assert.equal(terminal.type, 'message.completed');
  assert.equal(next, terminal.seq + 1);
  return { terminal, text };
}

// --- tests ------------------------------------------------------------------------------------

test('processes.json lists every process of the cluster, with live pids', { skip }, () => {
  const list = processes();
  assert.deepEqual(
    list.map((p) => `${p.name}/${p.service}`),
    [
      'kafka/kafka',
      'postgres/postgres',
      'simulators/simulators',
      'session-1/session-service',
      'session-2/session-service',
      'provider-connector-service/provider-connector-service',
      'ingress-1/ingress-service',
      'ingress-2/ingress-service',
      'haproxy/haproxy',
    ],
  );
  for (const p of list) {
    assert.ok(Number.isInteger(p.pid) && alive(p.pid), `${p.name}: pid ${p.pid} is not running`);
  }
  const haproxy = list.find((p) => p.name === 'haproxy');
  assert.deepEqual(haproxy.ports, [Number(ports.INGRESS_PORT), Number(ports.SESSION_PORT), Number(ports.HAPROXY_STATS_PORT)]);
  assert.equal(list.find((p) => p.service === 'provider-connector-service').port, Number(ports.CONNECTOR_PORT));
});

test('the chat page and the API answer through the balancer, on both ingress replicas', { skip }, async () => {
  const page = await fetch(`${gateway.ingressUrl}/chat/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  for (let i = 0; i < 4; i++) {
    assert.equal((await fetch(`${gateway.ingressUrl}/v1/bots`)).status, 200);
  }
  const servers = await backend('ingress-service');
  assert.deepEqual(Object.keys(servers), ['ingress-1', 'ingress-2']);
  for (const [name, server] of Object.entries(servers)) {
    assert.ok(server.total > 0, `${name} answered nothing: ${JSON.stringify(servers)}`);
  }
});

test('kill -9 of the session replica carrying a stream: the client resumes through the balancer, exactly', { skip }, async () => {
  const accepted = await post('cluster-kill', 'slow', 'a long answer, please');
  const first = openStream(accepted.streamUrl);
  await eventually('ten events on the first connection', () => first.events.length >= 10);
  const carrier = await eventually('the replica carrying the stream', async () =>
    Object.entries(await backend('session-service')).find(([, s]) => s.current > 0),
  );
  const victim = processes().find((p) => p.name === carrier[0]);
  process.kill(victim.pid, 'SIGKILL');
  assert.equal(await first.closed, 1006);
  const cut = first.events.length;
  assert.ok(!first.events.some((e) => TERMINAL.test(e.type)), 'the answer ended before its replica was killed');

  const resume = new URL(accepted.streamUrl);
  resume.searchParams.delete('from');
  resume.searchParams.set('cursor', first.events[cut - 1].cursor);
  const second = openStream(resume.href);
  assert.equal(await second.closed, 1000);
  const { terminal, text } = assertExactly([...first.events, ...second.events].filter((e) => e.messageId === accepted.messageId));
  assert.equal(text, terminal.text);
  console.log(`# ${victim.name} killed after ${cut} events; ${second.events.length} more through the other replica`);

  // The script says so and goes on; its entry has no pid until it is started again.
  await eventually('the script to report the dead replica', () =>
    new RegExp(`${victim.name} \\(pid ${victim.pid}, port ${victim.port}\\) exited`).test(gateway.output()),
  );
  assert.equal(processes().find((p) => p.name === victim.name).pid, null);

  // A new message still completes through both balancers.
  const again = await post('cluster-after-kill', 'demo', 'still there?');
  const stream = openStream(again.streamUrl);
  assert.equal(await stream.closed, 1000);
  assertExactly(stream.events);

  // SIGUSR1 to the script starts it again, on its port.
  const script = Number(fs.readFileSync(path.join(RUN_DIR, 'run-local.pid'), 'utf8'));
  assert.equal(script, gateway.pid);
  process.kill(script, 'SIGUSR1');
  const restarted = await eventually('the replica started again', () => {
    const entry = processes().find((p) => p.name === victim.name);
    return entry.pid && alive(entry.pid) ? entry : null;
  });
  assert.equal(restarted.port, victim.port);
  assert.notEqual(restarted.pid, victim.pid);
});

test('SIGTERM to the script stops every process it started', { skip }, async () => {
  const list = processes();
  process.kill(gateway.pid, 'SIGTERM');
  const how = await Promise.race([gateway.exit, new Promise((resolve) => setTimeout(resolve, 40_000, 'timeout').unref())]);
  assert.deepEqual(how, { code: 143, signal: null });
  const left = list.filter((p) => p.pid && alive(p.pid));
  assert.deepEqual(left, [], 'processes left behind');
  assert.ok(!fs.existsSync(path.join(RUN_DIR, 'processes.json')), 'processes.json outlived the run');
});
