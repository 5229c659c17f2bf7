/*
 * The chat page: the gateway's reference browser client. It uses only the public API with one
 * session's client token and stream token (docs/api.md); the demo endpoint (/demo/sessions, only
 * while gateway.ingress.demo-page.enabled) plays the app backend that would mint them.
 *
 * The session id lives in the URL (#s=<id>): the same URL in another tab shows the same session,
 * with its own tokens and its own stream. window.chatDebug is what the browser tests read.
 */
(function () {
  'use strict';

  const REQUEST_TIMEOUT_MS = 10000;
  const $ = (id) => document.getElementById(id);
  const ui = {
    connection: $('connection'),
    sessionId: $('session-id'),
    otherTab: $('other-tab'),
    newSession: $('new-session'),
    notice: $('notice'),
    conversation: $('conversation'),
    empty: $('empty'),
    composer: $('composer'),
    bot: $('bot'),
    text: $('text'),
    send: $('send'),
    stop: $('stop'),
  };

  const transcript = new ChatTranscript.Transcript();
  const elements = new Map(); // messageId → its <li>
  let session = null; // {sessionId, clientToken, streamToken, streamUrl}
  let connection = null;
  let historyTimer = null;
  const streamErrors = [];

  window.chatDebug = {
    get sessionId() {
      return session && session.sessionId;
    },
    get state() {
      return connection ? connection.state : 'connecting';
    },
    get lastCursor() {
      return connection ? connection.lastCursor : null;
    },
    get connections() {
      return connection ? connection.log.slice() : [];
    },
    get duplicates() {
      return transcript.duplicates;
    },
    get anomalies() {
      return transcript.anomalies.slice();
    },
    streamErrors,
    messages: () => transcript.messages().map((m) => Object.assign({}, m, ChatTranscript.metrics(m, Date.now()))),
  };

  // --- REST ---------------------------------------------------------------------------------

  async function api(method, path, options) {
    const o = options || {};
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const headers = {};
      if (o.bearer) {
        headers.Authorization = 'Bearer ' + o.bearer;
      }
      if (o.body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      if (o.idempotencyKey) {
        headers['Idempotency-Key'] = o.idempotencyKey;
      }
      const response = await fetch(path, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: controller.signal,
        cache: 'no-store',
      });
      const text = await response.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch (e) {
        json = null;
      }
      if (!response.ok) {
        const error = new Error((json && (json.detail || json.title)) || 'HTTP ' + response.status);
        error.status = response.status;
        throw error;
      }
      return json;
    } catch (e) {
      if (e.name === 'AbortError') {
        throw new Error(method + ' ' + path + ' did not answer within ' + REQUEST_TIMEOUT_MS / 1000 + ' s');
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function sessionPath(suffix) {
    return '/v1/sessions/' + encodeURIComponent(session.sessionId) + suffix;
  }

  /** Calls the API with the client token; a refused token (expired) is renewed once. */
  async function withClientToken(method, suffix, options) {
    try {
      return await api(method, sessionPath(suffix), Object.assign({ bearer: session.clientToken }, options));
    } catch (e) {
      if (e.status !== 401) {
        throw e;
      }
      await refreshTokens();
      return api(method, sessionPath(suffix), Object.assign({ bearer: session.clientToken }, options));
    }
  }

  // --- the session ----------------------------------------------------------------------------

  function sessionIdFromUrl() {
    const match = /(?:^#|&)s=([A-Za-z0-9._-]{1,128})/.exec(location.hash);
    return match ? match[1] : null;
  }

  async function openSession() {
    const wanted = sessionIdFromUrl();
    if (wanted) {
      try {
        return await api('POST', '/demo/sessions/' + encodeURIComponent(wanted) + '/tokens');
      } catch (e) {
        if (e.status !== 404) {
          throw e;
        }
        notice('Session ' + wanted + ' does not exist here (any more): this is a new one.');
      }
    }
    return api('POST', '/demo/sessions');
  }

  async function refreshTokens() {
    try {
      const fresh = await api('POST', '/demo/sessions/' + encodeURIComponent(session.sessionId) + '/tokens');
      session = fresh;
    } catch (e) {
      if (e.status === 404) {
        e.fatal = true;
        e.message = 'this session does not exist any more';
      }
      throw e;
    }
  }

  async function loadHistory() {
    const view = await withClientToken('GET', '/messages');
    transcript.fromHistory(view.messages).forEach(render);
  }

  /** Questions of other tabs' messages come from the history; asked for once per burst. */
  function historySoon() {
    if (historyTimer == null) {
      historyTimer = setTimeout(() => {
        historyTimer = null;
        loadHistory().catch((e) => notice('Could not load the history: ' + e.message));
      }, 300);
    }
  }

  // --- the stream -----------------------------------------------------------------------------

  function onEvent(event) {
    const m = transcript.apply(event);
    if (m) {
      render(m);
      if (m.question == null && (event.type === 'message.started' || ChatTranscript.isEnded(m.status))) {
        historySoon();
      }
    }
  }

  function onStreamError(frame) {
    streamErrors.push(frame);
    if (frame.code === 'cursor_expired') {
      // The server now replays the messages in progress from their start; the ones that ended
      // meanwhile come from the history.
      transcript.restartUnfinished().forEach(render);
      historySoon();
    }
  }

  function onState(state, detail) {
    ui.connection.dataset.state = state;
    ui.connection.textContent = state;
    ui.connection.title = detail || 'The session stream (WebSocket)';
    if (state === 'closed' && detail && detail !== 'stopped') {
      notice('The stream is closed: ' + detail + '.');
    }
  }

  // --- rendering ------------------------------------------------------------------------------

  function notice(text) {
    ui.notice.textContent = text;
    ui.notice.hidden = !text;
  }

  function element(m) {
    let li = elements.get(m.messageId);
    if (li) {
      return li;
    }
    li = document.createElement('li');
    li.className = 'turn';
    li.dataset.messageId = m.messageId;
    li.innerHTML =
      '<div class="question"><span class="who"></span><p class="question-text"></p></div>' +
      '<div class="answer"><span class="who"></span><p class="answer-text"></p>' +
      '<div class="meta"><span class="status"></span><span class="ttft"></span><span class="tps"></span>' +
      '<span class="tokens"></span><span class="error"></span></div></div>';
    // In the order the gateway accepted them, whichever of history and stream told first.
    let next = null;
    for (const [id, other] of elements) {
      if (id > m.messageId && (next == null || other.dataset.messageId < next.dataset.messageId)) {
        next = other;
      }
    }
    ui.conversation.insertBefore(li, next);
    elements.set(m.messageId, li);
    ui.empty.hidden = true;
    return li;
  }

  function setText(node, text) {
    if (node.textContent !== text) {
      node.textContent = text;
    }
  }

  function render(m) {
    const li = element(m);
    const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
    li.dataset.status = m.status;
    setText(li.querySelector('.question .who'), 'You → ' + (m.bot || '…'));
    setText(li.querySelector('.question-text'), m.question == null ? '…' : m.question);
    setText(li.querySelector('.answer .who'), (m.bot || 'bot') + (m.provider ? ' (' + m.provider + ')' : ''));
    setText(li.querySelector('.answer-text'), m.text);
    renderMeta(li, m);
    if (nearBottom) {
      window.scrollTo(0, document.body.scrollHeight);
    }
    updateButtons();
  }

  function renderMeta(li, m) {
    const metrics = ChatTranscript.metrics(m, Date.now());
    const status = m.stopping && !ChatTranscript.isEnded(m.status) ? 'stopping…' : m.status;
    setText(li.querySelector('.status'), status === 'streaming' ? 'streaming…' : status);
    setText(li.querySelector('.ttft'), metrics.ttftMs == null ? '' : 'first token ' + metrics.ttftMs + ' ms');
    setText(
      li.querySelector('.tps'),
      metrics.tokensPerSecond == null ? '' : metrics.tokensPerSecond.toFixed(1) + ' tokens/s',
    );
    setText(li.querySelector('.tokens'), metrics.tokens ? metrics.tokens + ' tokens' : '');
    setText(li.querySelector('.error'), m.error ? m.error.code + ': ' + m.error.message : '');
    li.dataset.ttftMs = metrics.ttftMs == null ? '' : String(metrics.ttftMs);
    li.dataset.tokensPerSecond = metrics.tokensPerSecond == null ? '' : metrics.tokensPerSecond.toFixed(2);
  }

  /** Tokens per second move while an answer streams. */
  setInterval(() => {
    for (const m of transcript.messages()) {
      if (m.status === 'streaming') {
        renderMeta(elements.get(m.messageId), m);
      }
    }
  }, 250);

  function unfinished() {
    return transcript.messages().filter((m) => !ChatTranscript.isEnded(m.status));
  }

  function updateButtons() {
    ui.send.disabled = !session || ui.bot.disabled;
    ui.stop.disabled = unfinished().length === 0;
  }

  // --- actions --------------------------------------------------------------------------------

  async function send() {
    const text = ui.text.value.trim();
    const bot = ui.bot.value;
    if (!text || !session) {
      return;
    }
    localStorage.setItem('chat.bot', bot);
    ui.send.disabled = true;
    const sentAt = Date.now();
    try {
      const accepted = await withClientToken('POST', '/messages', {
        body: { bot, text },
        idempotencyKey: randomId(),
      });
      ui.text.value = '';
      notice('');
      render(transcript.sent(accepted.messageId, bot, text, sentAt));
    } catch (e) {
      notice('Not sent: ' + e.message);
    } finally {
      updateButtons();
      ui.text.focus();
    }
  }

  /** Stops the answer that is streaming (the oldest unfinished one; later ones wait their turn). */
  async function stop() {
    const m = unfinished()[0];
    if (!m) {
      return;
    }
    m.stopping = true;
    render(m);
    try {
      await withClientToken('POST', '/messages/' + encodeURIComponent(m.messageId) + '/cancel');
    } catch (e) {
      if (e.status !== 409) {
        m.stopping = false;
        render(m);
        notice('Could not stop it: ' + e.message);
      }
    }
  }

  ui.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  ui.text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  ui.stop.addEventListener('click', stop);
  ui.newSession.addEventListener('click', () => {
    location.hash = '';
    location.reload();
  });
  window.addEventListener('hashchange', () => {
    if (session && sessionIdFromUrl() !== session.sessionId) {
      location.reload();
    }
  });
  window.addEventListener('pagehide', () => connection && connection.stop());

  // --- start ----------------------------------------------------------------------------------

  async function loadBots() {
    const bots = await api('GET', '/v1/bots');
    const remembered = localStorage.getItem('chat.bot');
    ui.bot.textContent = '';
    for (const bot of bots) {
      const option = document.createElement('option');
      option.value = bot.name;
      option.textContent = bot.name + ' (' + bot.provider + ')';
      ui.bot.appendChild(option);
    }
    if (bots.some((b) => b.name === remembered)) {
      ui.bot.value = remembered;
    }
    ui.bot.disabled = bots.length === 0;
  }

  async function retrying(what, f) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await f();
      } catch (e) {
        if (attempt >= 4 || (e.status && e.status < 500 && e.status !== 429)) {
          throw new Error(what + ': ' + e.message);
        }
        await new Promise((resolve) => setTimeout(resolve, 250 * Math.pow(2, attempt)));
      }
    }
  }

  async function start() {
    try {
      const [opened] = await Promise.all([retrying('No session', openSession), retrying('No bots', loadBots)]);
      session = opened;
      history.replaceState(null, '', '#s=' + session.sessionId);
      ui.sessionId.textContent = session.sessionId;
      ui.otherTab.href = location.href;
      connection = new StreamConnection({
        streamUrl: () => session.streamUrl,
        refreshToken: refreshTokens,
        onEvent,
        onStreamError,
        onState,
      });
      connection.start();
      await loadHistory();
      updateButtons();
      ui.text.focus();
    } catch (e) {
      onState('closed', e.message);
    }
  }

  start();
})();
