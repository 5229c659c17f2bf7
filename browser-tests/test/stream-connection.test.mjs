// The page's connection handling with a fake WebSocket and fake timers: no browser, no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamConnection, redact } from '../lib/page-scripts.mjs';

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.closedWith = null;
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen();
  }
  send(frame) {
    this.onmessage({ data: JSON.stringify(frame) });
  }
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose({ code, reason });
  }
  close(code, reason) {
    this.closedWith = { code, reason };
    this.drop(code || 1006, reason);
  }
}

function harness(overrides = {}) {
  FakeSocket.all = [];
  const timers = [];
  const events = [];
  const states = [];
  let token = 't1';
  const connection = new StreamConnection({
    WebSocket: FakeSocket,
    setTimeout: (f, ms) => {
      const t = { f, ms, done: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => {
      t.done = true;
    },
    random: () => 1,
    streamUrl: () => `ws://gw/v1/sessions/s/stream?token=${token}`,
    refreshToken: async () => {
      token = 't2';
    },
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
    ...overrides,
  });
  /** Runs the earliest pending timer of at least this delay (the reconnect), returns its delay. */
  const fireReconnect = () => {
    const t = timers.filter((x) => !x.done && x.ms < 9000 && x.ms !== 3000).sort((a, b) => a.ms - b.ms)[0];
    t.done = true;
    t.f();
    return t.ms;
  };
  const last = () => FakeSocket.all[FakeSocket.all.length - 1];
  return { connection, events, states, timers, fireReconnect, last };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('the first connection is a late joiner; after a drop it resumes from the last cursor', () => {
  const h = harness();
  h.connection.start();
  assert.equal(h.last().url, 'ws://gw/v1/sessions/s/stream?token=t1');
  assert.equal(h.connection.state, 'connecting');
  h.last().open();
  assert.equal(h.connection.state, 'live');
  h.last().send({ type: 'message.started', messageId: 'm', seq: 0, cursor: '0-7' });
  h.last().send({ type: 'message.delta', messageId: 'm', seq: 1, text: 'a', cursor: '0-9' });
  h.last().drop(1006);
  assert.equal(h.connection.state, 'reconnecting');
  h.fireReconnect();
  assert.equal(h.last().url, 'ws://gw/v1/sessions/s/stream?token=t1&cursor=0-9');
  assert.equal(h.connection.log[1].cursor, '0-9');
  assert.equal(h.events.length, 2);
});

test('backoff grows exponentially up to its cap, and resets once a connection delivers', () => {
  const h = harness();
  h.connection.start();
  const delays = [];
  for (let i = 0; i < 8; i++) {
    h.last().drop(1006);
    delays.push(h.fireReconnect());
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
  h.last().open();
  h.last().send({ type: 'message.delta', messageId: 'm', seq: 1, text: 'a', cursor: '0-1' });
  h.last().drop(1001);
  assert.equal(h.fireReconnect(), 250);
});

test('jitter spreads reconnects between half and all of the backoff', () => {
  const low = harness({ random: () => 0 });
  assert.equal(low.connection.delay(3), 1000);
  const high = harness({ random: () => 1 });
  assert.equal(high.connection.delay(3), 2000);
});

test('1008 (token refused) gets a fresh token before reconnecting', async () => {
  const h = harness();
  h.connection.start();
  h.last().open();
  h.last().send({ type: 'message.started', messageId: 'm', seq: 0, cursor: '0-3' });
  h.last().drop(1008, 'token expired');
  await flush();
  h.fireReconnect();
  assert.equal(h.last().url, 'ws://gw/v1/sessions/s/stream?token=t2&cursor=0-3');
});

test('a session that is gone closes the stream for good', async () => {
  const h = harness({
    refreshToken: async () => {
      throw Object.assign(new Error('this session does not exist any more'), { fatal: true });
    },
  });
  h.connection.start();
  h.last().open();
  h.last().drop(1008, 'token expired');
  await flush();
  assert.equal(h.connection.state, 'closed');
  assert.equal(FakeSocket.all.length, 1);
});

test('4001 (slow client) resumes by cursor; 4002 (too many connections) backs off longer', () => {
  const h = harness();
  h.connection.start();
  h.last().open();
  h.last().send({ type: 'message.started', messageId: 'm', seq: 0, cursor: '1-1' });
  h.last().drop(4001, 'slow client');
  h.fireReconnect();
  assert.match(h.last().url, /cursor=1-1$/);
  h.last().drop(4002, 'too many connections');
  assert.equal(h.fireReconnect(), 4000);
});

test('stream.error goes to its handler, not to the transcript', () => {
  const errors = [];
  const h = harness({ onStreamError: (f) => errors.push(f) });
  h.connection.start();
  h.last().open();
  h.last().send({ type: 'stream.error', code: 'cursor_expired' });
  assert.equal(errors.length, 1);
  assert.equal(h.events.length, 0);
});

test('a connection that never opens is abandoned after the connect timeout', () => {
  const h = harness();
  h.connection.start();
  const connectTimer = h.timers.find((t) => t.ms === 10000);
  connectTimer.f();
  assert.ok(h.last().closedWith);
  assert.equal(h.connection.state, 'reconnecting');
});

test('stop() closes with 1000 and does not reconnect', () => {
  const h = harness();
  h.connection.start();
  h.last().open();
  h.connection.stop();
  assert.equal(h.connection.state, 'closed');
  assert.equal(FakeSocket.all.length, 1);
  assert.ok(h.timers.every((t) => t.done));
});

test('tokens never reach the debug log', () => {
  assert.equal(redact('ws://h/v1/sessions/s/stream?token=abc.def&cursor=0-1'), 'ws://h/v1/sessions/s/stream?token=…&cursor=0-1');
});
