// The chat page in Debian's chromium against the whole gateway (deploy/run-local.sh on free
// loopback ports), the page's stream passing through a TCP proxy the test can cut.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { portsFor, startGateway } from '../lib/gateway.mjs';
import { startProxy } from '../lib/tcp-proxy.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const TARGET = path.join(ROOT, 'browser-tests', 'target');
const SHOTS = path.join(TARGET, 'screenshots');
const API_KEY = 'browser-test-key';
const ENDED = ['completed', 'failed', 'cancelled'];
// A long, paced answer: long enough to stop it or cut its connection half-way.
const SLOW = { tokens: 320, pace: '25ms' };

let gateway;
let proxy;
let browser;
const contexts = [];

before(
  async () => {
    for (const jar of [
      'ingress-service/target/quarkus-app/quarkus-run.jar',
      'session-service/target/quarkus-app/quarkus-run.jar',
      'provider-connector-service/target/quarkus-app/quarkus-run.jar',
    ]) {
      assert.ok(fs.existsSync(path.join(ROOT, jar)), `${jar} is missing: package the services first (./mvnw package)`);
    }
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    const ports = await portsFor(path.join(ROOT, 'deploy', 'run-local.sh'));
    proxy = await startProxy(Number(ports.SESSION_PORT));
    const started = Date.now();
    [gateway, browser] = await Promise.all([
      startGateway({
        root: ROOT,
        runDir: path.join(TARGET, 'run'),
        ports,
        env: {
          GATEWAY_API_KEYS: API_KEY,
          GATEWAY_DEMO_PAGE_ENABLED: 'true',
          // The page's stream goes through the proxy.
          GATEWAY_STREAM_PUBLIC_URL: `ws://127.0.0.1:${proxy.port}`,
          GATEWAY_BOTS_SLOW_PROVIDER: 'demo',
          GATEWAY_BOTS_SLOW_TOKENS: String(SLOW.tokens),
          GATEWAY_BOTS_SLOW_PACE: SLOW.pace,
        },
        readyTimeoutMs: 150_000,
        log: (line) => console.log(`# ${line}`),
      }),
      launchBrowser(),
    ]);
    console.log(`# gateway and browser up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
  { timeout: 180_000 },
);

after(
  async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    if (browser) {
      await browser.close().catch(() => {});
    }
    if (gateway) {
      await gateway.stop();
    }
    if (proxy) {
      await proxy.close();
    }
  },
  { timeout: 60_000 },
);

// --- helpers ----------------------------------------------------------------------------------

function chatUrl() {
  return `${gateway.ingressUrl}/chat/`;
}

/** A new window on the page (a new session unless the URL names one), once its stream is live. */
async function openChat(url, context) {
  let ctx = context;
  if (!ctx) {
    ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(ctx);
  }
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // Every length the answer text had in the DOM: proof that it was rendered as it streamed.
  await page.addInitScript(() => {
    window.__lengths = {};
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const node = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
        const answer = node && node.closest && node.closest('.answer-text');
        if (!answer) {
          continue;
        }
        const id = answer.closest('[data-message-id]').dataset.messageId;
        const lengths = (window.__lengths[id] = window.__lengths[id] || []);
        const length = answer.textContent.length;
        if (lengths[lengths.length - 1] !== length) {
          lengths.push(length);
        }
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(url, { timeout: 30_000 });
  await page.waitForFunction(() => window.chatDebug && window.chatDebug.state === 'live', null, {
    timeout: 30_000,
    polling: 100,
  });
  await page.waitForSelector('#send:not([disabled])', { timeout: 20_000 });
  return page;
}

/** Sends a question from the page; returns its message id. */
async function ask(page, bot, question) {
  await page.selectOption('#bot', bot);
  await page.fill('#text', question);
  await page.click('#send');
  const id = await page.waitForFunction(
    (q) => {
      const m = window.chatDebug.messages().find((x) => x.question === q && x.sentAt != null);
      return m && m.messageId;
    },
    question,
    { timeout: 20_000, polling: 100 },
  );
  return id.jsonValue();
}

function message(page, id) {
  return page.evaluate((mid) => window.chatDebug.messages().find((m) => m.messageId === mid), id);
}

async function until(page, id, predicate, what, timeout) {
  try {
    await page.waitForFunction(
      ([mid, source]) => {
        const m = window.chatDebug.messages().find((x) => x.messageId === mid);
        return m && new Function('m', `return (${source})(m)`)(m);
      },
      [id, predicate.toString()],
      { timeout, polling: 100 },
    );
  } catch (e) {
    const m = await message(page, id).catch(() => null);
    throw new Error(`${what}: not within ${timeout} ms; the message: ${JSON.stringify(m)}`);
  }
  return message(page, id);
}

const ended = (page, id, timeout = 30_000) =>
  until(page, id, (m) => ['completed', 'failed', 'cancelled'].includes(m.status), 'the answer did not end', timeout);

/** The session's history as the API tells it (with the API key: the test is not the page). */
async function history(sessionId, messageId, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const response = await fetch(`${gateway.ingressUrl}/v1/sessions/${sessionId}/messages`, {
      headers: { Authorization: `Bearer ${API_KEY}` },
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(response.status, 200);
    const found = (await response.json()).messages.find((m) => m.messageId === messageId);
    if (found && ENDED.includes(found.status)) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`the history has not ended ${messageId}: ${JSON.stringify(found)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function domAnswer(page, id) {
  return page.locator(`[data-message-id="${id}"] .answer-text`).textContent();
}

async function debug(page) {
  return page.evaluate(() => ({
    sessionId: window.chatDebug.sessionId,
    state: window.chatDebug.state,
    lastCursor: window.chatDebug.lastCursor,
    connections: window.chatDebug.connections,
    duplicates: window.chatDebug.duplicates,
    anomalies: window.chatDebug.anomalies,
    streamErrors: window.chatDebug.streamErrors,
  }));
}

async function shot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
  return file;
}

/** Screenshots a failing test's pages, then fails it; closes its windows either way. */
async function withShots(name, pages, body) {
  try {
    await body();
  } catch (e) {
    await Promise.allSettled(pages().map((p, i) => shot(p, `FAILED-${name}-${i}`)));
    throw e;
  } finally {
    await Promise.allSettled([...new Set(pages().map((p) => p.context()))].map((c) => c.close()));
  }
}

// --- the tests --------------------------------------------------------------------------------

test('an answer streams in for every bot the gateway lists', { timeout: 90_000 }, async (t) => {
  const bots = await (await fetch(`${gateway.ingressUrl}/v1/bots`, { signal: AbortSignal.timeout(5_000) })).json();
  t.diagnostic(`bots: ${bots.map((b) => `${b.name} (${b.provider})`).join(', ')}`);
  assert.ok(bots.some((b) => b.name === 'demo') && bots.some((b) => b.name === 'openai'), JSON.stringify(bots));
  const pages = [];
  await withShots('every-bot', () => pages, async () => {
    // One window per bot, all at once: different sessions stream concurrently.
    const results = await Promise.all(
      bots.map(async (bot) => {
        const t0 = Date.now();
        const page = await openChat(chatUrl());
        const opened = Date.now() - t0;
        pages.push(page);
        // The bot picker lists every bot.
        const options = await page.locator('#bot option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual(options, bots.map((b) => b.name));
        const question = `Hello ${bot.name}, how do streams stay in order?`;
        const t1 = Date.now();
        const id = await ask(page, bot.name, question);
        const m = await ended(page, id);
        return { bot, page, id, m, timing: `page live in ${opened} ms, answered in ${Date.now() - t1} ms` };
      }),
    );
    for (const { bot, page, id, m, timing } of results) {
      const sessionId = (await debug(page)).sessionId;
      assert.equal(m.status, 'completed', `${bot.name}: ${JSON.stringify(m.error)}`);
      assert.ok(m.text.length > 0, `${bot.name}: an empty answer`);
      const answer = await history(sessionId, id);
      assert.equal(m.text, answer.answer, `${bot.name}: the page's text is not the answer`);
      assert.equal(await domAnswer(page, id), answer.answer);
      const lengths = await page.evaluate((mid) => window.__lengths[mid] || [], id);
      const partial = lengths.filter((n) => n > 0 && n < answer.answer.length);
      assert.ok(partial.length > 0, `${bot.name}: never rendered a partial answer (lengths ${lengths})`);
      assert.ok(m.ttftMs != null && m.ttftMs >= 0, `${bot.name}: no time to first token`);
      assert.ok(m.tokensPerSecond > 0, `${bot.name}: no tokens per second`);
      const meta = await page.locator(`[data-message-id="${id}"] .meta`).textContent();
      assert.match(meta, /completed/);
      assert.match(meta, /first token \d+ ms/);
      assert.match(meta, /[\d.]+ tokens\/s/);
      assert.deepEqual((await debug(page)).anomalies, []);
      assert.deepEqual(page.errors, []);
      t.diagnostic(
        `${bot.name}: ${answer.answer.length} chars in ${lengths.length} renders, first token ${m.ttftMs} ms,` +
          ` ${m.tokensPerSecond.toFixed(1)} tokens/s; ${timing}`,
      );
      await shot(page, `answer-${bot.name}`);
    }
  });
});

test('stop ends an answer and keeps the text so far', { timeout: 60_000 }, async (t) => {
  const pages = [];
  await withShots('stop', () => pages, async () => {
    const page = await openChat(chatUrl());
    pages.push(page);
    const id = await ask(page, 'slow', 'Tell me everything, slowly');
    await until(page, id, (m) => m.text.length > 60, 'no text before stopping', 20_000);
    await page.click('#stop');
    const m = await ended(page, id, 20_000);
    assert.equal(m.status, 'cancelled');
    const answer = await history((await debug(page)).sessionId, id);
    assert.equal(answer.status, 'cancelled');
    assert.ok(m.text.length > 60, 'the partial text was not kept');
    assert.equal(m.text, answer.answer, 'the page does not show the text the gateway kept');
    assert.equal(await domAnswer(page, id), answer.answer);
    assert.ok(m.tokens < SLOW.tokens, `stopped after all ${m.tokens} tokens`);
    assert.match(await page.locator(`[data-message-id="${id}"] .meta`).textContent(), /cancelled/);
    assert.deepEqual((await debug(page)).anomalies, []);
    t.diagnostic(`stopped after ${m.tokens} of ${SLOW.tokens} tokens, ${m.text.length} chars kept`);

    // The session goes on: the next question is answered, the stopped answer stays as it was.
    const next = await ask(page, 'openai', 'What is a chat stream gateway?');
    assert.equal((await ended(page, next)).status, 'completed');
    assert.equal(await domAnswer(page, id), answer.answer);

    // The picture for the README: stopped, completed, and one streaming (then stopped too).
    const third = await ask(page, 'slow', 'And one more, streaming right now');
    await until(page, third, (m) => m.tokens >= 40, 'the third answer did not stream', 20_000);
    await shot(page, 'chat-page');
    await page.click('#stop');
    assert.equal((await ended(page, third)).status, 'cancelled');
  });
});

test('a connection cut mid-answer resumes by cursor, nothing missing or repeated', { timeout: 90_000 }, async (t) => {
  const pages = [];
  await withShots('cut', () => pages, async () => {
    const requestsBefore = proxy.requests.length;
    const page = await openChat(chatUrl());
    pages.push(page);
    const first = await debug(page);
    assert.equal(first.connections[0].cursor, null, 'the first connection is a late joiner: no cursor');
    assert.ok(!proxy.requests[requestsBefore].line.includes('cursor='), proxy.requests[requestsBefore].line);

    const id = await ask(page, 'slow', 'Keep talking through a tunnel');
    const atCut = await until(page, id, (m) => m.tokens >= 20, 'no tokens before the cut', 20_000);
    const forwardedBeforeCut = proxy.requests.length;
    proxy.cut();
    const cutAt = Date.now();
    await page.waitForFunction(() => window.chatDebug.state === 'reconnecting', null, {
      timeout: 10_000,
      polling: 50,
    });
    // The answer goes on on the server while the page cannot hear it; reconnects are refused.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    proxy.restore();
    await page.waitForFunction(() => window.chatDebug.state === 'live', null, {
      timeout: 20_000,
      polling: 100,
    });
    const back = await message(page, id);
    t.diagnostic(
      `cut after ${atCut.tokens} tokens for ${Date.now() - cutAt} ms (${proxy.refused} reconnects refused);` +
        ` back at ${back.tokens} tokens, status ${back.status}`,
    );

    const m = await ended(page, id, 30_000);
    const answer = await history(first.sessionId, id);
    assert.equal(m.status, 'completed');
    assert.equal(m.text, answer.answer, 'text missing or repeated');
    assert.equal(await domAnswer(page, id), answer.answer);

    const d = await debug(page);
    assert.deepEqual(d.anomalies, [], 'no gap, no overlap, and the streamed text equals the completed text');
    assert.deepEqual(d.streamErrors, [], 'the cursor was served (no cursor_expired)');
    const resumed = d.connections.filter((c) => c.openedAt != null && c.cursor != null);
    assert.ok(resumed.length >= 1, `no connection resumed by cursor: ${JSON.stringify(d.connections)}`);
    assert.ok(
      d.connections.slice(1).every((c) => c.cursor != null),
      'every reconnect carries the last cursor',
    );
    // Outside the page: the proxy forwarded a second upgrade, carrying that cursor.
    const later = proxy.requests.slice(forwardedBeforeCut).map((r) => r.line);
    assert.ok(
      later.some((line) => line.includes(`&cursor=${encodeURIComponent(resumed[0].cursor)}`)),
      `the proxy saw no resume by cursor: ${JSON.stringify(later)}`,
    );
    t.diagnostic(
      `${d.connections.length} connection attempts; resumed with cursor ${resumed[0].cursor};` +
        ` ${d.duplicates} duplicate events dropped; ${m.text.length} chars, equal to the history`,
    );
    await shot(page, 'resumed-after-cut');
  });
});

test('two tabs on one session show the same answers', { timeout: 90_000 }, async (t) => {
  const pages = [];
  await withShots('two-tabs', () => pages, async () => {
    const first = await openChat(chatUrl());
    pages.push(first);
    const url = first.url();
    assert.match(url, /#s=demo-[0-9a-v]{26}$/);
    const id = await ask(first, 'slow', 'Say the same thing in both tabs');
    // The second tab joins while the answer streams: it gets it whole, from its start.
    await until(first, id, (m) => m.tokens >= 10, 'no tokens in the first tab', 20_000);
    const second = await openChat(url, first.context());
    pages.push(second);
    assert.equal((await debug(second)).sessionId, (await debug(first)).sessionId);

    const [a, b] = await Promise.all([ended(first, id), ended(second, id)]);
    const answer = await history((await debug(first)).sessionId, id);
    assert.equal(a.text, answer.answer);
    assert.equal(b.text, answer.answer);
    assert.equal(await domAnswer(second, id), answer.answer);
    await until(second, id, (m) => m.question === 'Say the same thing in both tabs', 'no question in the second tab', 10_000);

    // And the other way round, live in both.
    const back = await ask(second, 'demo', 'And now from the second tab');
    const [c, d] = await Promise.all([ended(first, back), ended(second, back)]);
    assert.equal(c.text, d.text);
    assert.equal(c.text, (await history((await debug(first)).sessionId, back)).answer);
    await until(first, back, (m) => m.question === 'And now from the second tab', 'no question in the first tab', 10_000);
    for (const page of [first, second]) {
      assert.deepEqual((await debug(page)).anomalies, []);
      assert.deepEqual(page.errors, []);
    }
    t.diagnostic(`both tabs: ${a.text.length} and ${c.text.length} chars, equal to the history`);
    await shot(first, 'two-tabs-first');
    await shot(second, 'two-tabs-second');
  });
});
