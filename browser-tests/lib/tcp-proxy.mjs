// A loopback TCP proxy between the browser and the session-service, that the test can cut and
// restore: the network drop happens outside the page, as it would on a train. It records the
// request line of every connection it forwards (the token redacted), so that a test can tell a
// resume by cursor from a fresh start.
import net from 'node:net';

export async function startProxy(targetPort) {
  const sockets = new Set();
  const requests = [];
  let cut = false;
  let refused = 0;

  const server = net.createServer((client) => {
    if (cut) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let head = '';
    const sniff = (chunk) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n');
      if (end >= 0 || head.length > 8192) {
        client.off('data', sniff);
        requests.push({ at: Date.now(), line: head.slice(0, end).replace(/([?&]token=)[^&\s]*/, '$1…') });
      }
    };
    client.on('data', sniff);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: server.address().port,
    /** The request lines of the forwarded connections, oldest first. */
    requests,
    get refused() {
      return refused;
    },
    get open() {
      return sockets.size / 2;
    },
    /** Resets every open connection, and every new one until restore(). */
    cut() {
      cut = true;
      for (const socket of sockets) {
        socket.resetAndDestroy();
      }
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      sockets.clear();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
