// The page's model of a conversation: resume overlaps, merged deltas, resets, cursor_expired.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatTranscript } from '../lib/page-scripts.mjs';

const { Transcript, metrics } = ChatTranscript;
const M = '0190a0b0-0000-7000-8000-000000000001';

const started = (seq = 0) => ({ type: 'message.started', messageId: M, seq, bot: 'demo', provider: 'demo' });
const delta = (seq, text, fromSeq) => ({ type: 'message.delta', messageId: M, seq, text, ...(fromSeq != null ? { fromSeq } : {}) });
const completed = (seq, text) => ({ type: 'message.completed', messageId: M, seq, text, usage: { outputTokens: 3 } });

test('deltas build the answer; the completed text matches it', () => {
  const t = new Transcript();
  for (const e of [started(), delta(1, 'Hel'), delta(2, 'lo'), delta(3, '!'), completed(4, 'Hello!')]) {
    assert.ok(t.apply(e));
  }
  const m = t.message(M);
  assert.equal(m.text, 'Hello!');
  assert.equal(m.status, 'completed');
  assert.deepEqual(t.anomalies, []);
});

test('events seen already (a resume that overlapped) are dropped by seq', () => {
  const t = new Transcript();
  [started(), delta(1, 'a'), delta(2, 'b')].forEach((e) => t.apply(e));
  assert.equal(t.apply(delta(1, 'a')), null);
  assert.equal(t.apply(delta(2, 'b')), null);
  assert.equal(t.apply(started()), null);
  t.apply(delta(3, 'c'));
  t.apply(completed(4, 'abc'));
  assert.equal(t.apply(completed(4, 'abc')), null);
  assert.equal(t.message(M).text, 'abc');
  assert.equal(t.duplicates, 4);
  assert.deepEqual(t.anomalies, []);
});

test('a merged delta covers fromSeq..seq', () => {
  const t = new Transcript();
  [started(), delta(1, 'a'), delta(4, 'bcd', 2), delta(5, 'e')].forEach((e) => t.apply(e));
  assert.equal(t.message(M).text, 'abcde');
  assert.equal(t.message(M).tokens, 5);
  assert.equal(t.apply(delta(4, 'bcd', 2)), null);
  t.apply(completed(6, 'abcde'));
  assert.deepEqual(t.anomalies, []);
});

test('a reset voids the text so far', () => {
  const t = new Transcript();
  [started(), delta(1, 'wrong'), { type: 'message.reset', messageId: M, seq: 2 }, delta(3, 'right')].forEach((e) =>
    t.apply(e),
  );
  assert.equal(t.message(M).text, 'right');
  t.apply(completed(4, 'right'));
  assert.deepEqual(t.anomalies, []);
});

test('a gap is recorded, and the terminal text settles the answer', () => {
  const t = new Transcript();
  [started(), delta(1, 'a'), delta(3, 'c'), completed(4, 'abc')].forEach((e) => t.apply(e));
  assert.equal(t.message(M).text, 'abc');
  assert.deepEqual(
    t.anomalies.map((a) => a.what.split(':')[0]),
    ['gap', 'text mismatch'],
  );
});

test('cursor_expired: unfinished answers restart from their start, ended ones come from history', () => {
  const t = new Transcript();
  const other = '0190a0b0-0000-7000-8000-000000000002';
  [started(), delta(1, 'par')].forEach((e) => t.apply(e));
  t.apply({ type: 'message.started', messageId: other, seq: 0 });
  t.apply({ type: 'message.delta', messageId: other, seq: 1, text: 'x' });
  t.restartUnfinished();
  // The server replays M from its start; `other` ended while the page was away.
  [started(), delta(1, 'par'), delta(2, 'tial')].forEach((e) => assert.ok(t.apply(e)));
  t.fromHistory([
    { messageId: M, question: 'q1', status: 'pending' },
    { messageId: other, question: 'q2', status: 'completed', answer: 'xyz', usage: { outputTokens: 3 } },
  ]);
  assert.equal(t.message(M).text, 'partial');
  assert.equal(t.message(M).question, 'q1');
  assert.equal(t.message(other).text, 'xyz');
  assert.equal(t.message(other).status, 'completed');
  assert.deepEqual(t.anomalies, []);
});

test('history fills questions of other tabs and never overrides what the stream ended', () => {
  const t = new Transcript();
  [started(), delta(1, 'Hi'), completed(2, 'Hi')].forEach((e) => t.apply(e));
  t.fromHistory([{ messageId: M, question: 'hello?', status: 'completed', answer: 'something else' }]);
  assert.equal(t.message(M).question, 'hello?');
  assert.equal(t.message(M).text, 'Hi');
});

test('messages are in the order the gateway accepted them', () => {
  const t = new Transcript();
  t.apply({ type: 'message.started', messageId: '0190a0b0-0000-7000-8000-00000000000b', seq: 0 });
  t.apply({ type: 'message.started', messageId: '0190a0b0-0000-7000-8000-00000000000a', seq: 0 });
  assert.deepEqual(
    t.messages().map((m) => m.messageId.slice(-1)),
    ['a', 'b'],
  );
});

test('time to first token and tokens per second', () => {
  let now = 1000;
  const t = new Transcript(() => now);
  t.sent(M, 'demo', 'q', 900);
  now = 1100;
  t.apply(started());
  now = 1250;
  t.apply(delta(1, 'a'));
  now = 2250;
  t.apply(delta(2, 'b'));
  const live = metrics(t.message(M), 2250);
  assert.equal(live.ttftMs, 350);
  assert.equal(live.tokensPerSecond, 2);
  t.apply(completed(3, 'ab'));
  assert.equal(metrics(t.message(M), 9999).tokens, 3, 'the vendor count once it is known');
});
