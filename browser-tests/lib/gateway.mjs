// The whole gateway for the browser tests: deploy/run-local.sh (a real KRaft broker, PostgreSQL,
// the vendor simulators, the three packaged services) on free loopback ports, its run directory
// under target/. Every port the script declares (`export X_PORT=${X_PORT:-…}`) gets a free one,
// so that simulators added to the script later move too. stop() ends the script and, whatever
// happens, its whole process group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Free loopback ports, all held until every one is chosen so that none repeats. */
export async function freePorts(count) {
  // Below Linux's ephemeral range (32768–60999): a port handed out there by listen(0) is free now,
  // but any outgoing connection (a Kafka client's, the browser's) may take it before the service
  // binds it, as a CI run saw ("Port … seems to be in use"). Below it, only listeners compete.
  const servers = [];
  try {
    while (servers.length < count) {
      const server = net.createServer();
      const port = 20000 + Math.floor(Math.random() * 12000);
      const bound = await new Promise((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (bound) {
        servers.push(server);
      }
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** The port variables of run-local.sh, each with a free port. */
export async function portsFor(script) {
  const names = [...fs.readFileSync(script, 'utf8').matchAll(/^(?:export )?([A-Z0-9_]+_PORT)=\$\{\1:-\d+\}/gm)].map(
    (m) => m[1],
  );
  const ports = await freePorts(names.length);
  return Object.fromEntries(names.map((name, i) => [name, String(ports[i])]));
}

/** The environment of the run: ours, nothing inherited that would configure the gateway. */
function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(GATEWAY_|KAFKA_|SIMULATOR_|QUARKUS_|HAPROXY)|_PORT$|_REPLICAS$|^(BUILD|RUN_DIR|JAVA_OPTS)$/.test(key)) {
      env[key] = value;
    }
  }
  return env;
}

export async function startGateway({ root, runDir, ports, env, readyTimeoutMs, log }) {
  const script = path.join(root, 'deploy', 'run-local.sh');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const outFile = path.join(runDir, 'run-local.out');
  const out = fs.createWriteStream(outFile);
  const child = spawn('bash', [script], {
    cwd: root,
    // The simulators on free ports too (SimulatorsMain picks them and writes the bots file).
    env: Object.assign(cleanEnv(), ports, { RUN_DIR: runDir, SIMULATOR_PORTS: 'free' }, env),
    detached: true, // its own process group: stop() can end everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = null;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  let output = '';
  const onOutput = (chunk) => {
    output += chunk.toString();
    out.write(chunk);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch (e) {
      // Already gone.
    }
  };
  // Should this process end first (or be told to), the gateway must not outlive it.
  const onSignal = (signal) => {
    killGroup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killGroup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const gateway = {
    ingressUrl: `http://127.0.0.1:${ports.INGRESS_PORT}`,
    logDir: path.join(runDir, 'logs'),
    output: () => output,
    /** The script's own process (its pid, SIGTERM to it, and how it ended). */
    pid: child.pid,
    exit,
    async stop() {
      if (exited == null) {
        try {
          process.kill(child.pid, 'SIGTERM'); // the script's trap stops its children in order
        } catch (e) {
          // Already gone.
        }
        await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
      }
      killGroup(); // whatever is left: a child that ignored SIGTERM, or the script itself
      process.off('exit', killGroup);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      out.end();
    },
  };

  const started = Date.now();
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the gateway was not ready within ${readyTimeoutMs / 1000} s`)),
        readyTimeoutMs,
      );
      const check = () => {
        if (/Chat Stream Gateway is ready/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      exit.then((how) => {
        clearTimeout(timer);
        reject(new Error(`deploy/run-local.sh exited (${JSON.stringify(how)}) before it was ready`));
      });
    });
  } catch (e) {
    await gateway.stop();
    e.message += `\n--- deploy/run-local.sh said:\n${output.slice(-4000)}\n--- logs: ${gateway.logDir}`;
    throw e;
  }
  if (log) {
    log(`gateway ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${gateway.logDir})`);
  }
  return gateway;
}
