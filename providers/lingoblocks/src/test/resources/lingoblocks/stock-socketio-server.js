// An independent LingoBlocks-like server on the stock npm `socket.io` package (not our simulator):
// POST /v1/chatbot/:id/authenticate, POST /v1/chatbot/:id/message, and socket.io with a middleware
// that refuses a bad `access-token` handshake header (a CONNECT_ERROR, as socket.io does).
// Words in the message text choose the variant: "cumulative", "object".
// Prints "LISTENING <port>" once ready. GET /stats -> {"sockets": <connected sockets>}.
const http = require('http');
const { Server } = require('socket.io');

const tokens = new Set();
let counter = 0;

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch (e) {
        resolve(null);
      }
    });
  });
}

const server = http.createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    return json(res, 200, { sockets: io.of('/').sockets.size });
  }
  const m = /^\/v1\/chatbot\/([^/]+)\/(authenticate|message)$/.exec(req.url);
  if (!m || req.method !== 'POST') return json(res, 404, { message: 'Not found' });
  const body = await readBody(req);
  if (body === null) return json(res, 400, { message: 'Invalid JSON' });
  if (m[2] === 'authenticate') {
    let token = body.accessToken;
    if (!token || !tokens.has(token)) {
      token = 'node-' + ++counter + '-' + Date.now();
      tokens.add(token);
    }
    return json(res, 200, { accessToken: token });
  }
  if (!tokens.has(body.accessToken)) return json(res, 401, { message: 'Invalid access token' });
  const words = ['Stock', ' socket.io', ' says', ' héllo', ' 🚀', ' 日本語', ' to', ' ' + body.text.split(' ')[0]];
  const cumulative = body.text.includes('cumulative');
  const object = body.text.includes('object');
  const targets = [...io.of('/').sockets.values()].filter((s) => s.data.token === body.accessToken);
  let sent = '';
  let aborted = false;
  res.on('close', () => { aborted = true; });
  for (const word of words) {
    if (aborted) return;
    sent += word;
    const piece = cumulative ? sent : word;
    for (const s of targets) {
      s.emit('message', { event: 'chatbot.typing', data: true });
      s.emit('message', { event: 'chatbot.responseGenerated', data: object ? { text: piece } : piece });
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  json(res, 200, {
    response: sent,
    metadata: { transports: targets.map((s) => s.conn.transport.name) },
  });
});

const io = new Server(server);
io.use((socket, next) => {
  const token = socket.handshake.headers['access-token'];
  if (!token || !tokens.has(token)) return next(new Error('invalid access token'));
  socket.data.token = token;
  next();
});

server.listen(0, '127.0.0.1', () => {
  console.log('LISTENING ' + server.address().port);
});
