/*
 * The conversation of one session as the stream and the history tell it: no DOM, no network, so
 * that browser-tests/test/transcript.test.mjs drives it directly. docs/api.md is the contract.
 *
 * - Events of a message carry seq 0, 1, 2 … without gaps; a merged delta covers fromSeq..seq. An
 *   event whose seq was seen already is a duplicate (a resume that overlapped) and is dropped.
 * - message.reset voids the text so far; the terminal event carries the whole text, which must equal
 *   the deltas since the last reset. If it does not (a gap, a bug), the terminal text wins and the
 *   difference is recorded as an anomaly, so that a test can tell.
 * - After stream.error cursor_expired the server replays the messages in progress from their start:
 *   restartUnfinished() forgets their text, and the history settles the ones that ended meanwhile.
 */
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.ChatTranscript = api;
  }
})(typeof self !== 'undefined' ? self : globalThis, function () {
  'use strict';

  const OUTCOMES = {
    'message.completed': 'completed',
    'message.failed': 'failed',
    'message.cancelled': 'cancelled',
  };
  const ENDED = new Set(Object.values(OUTCOMES));

  function isEnded(status) {
    return ENDED.has(status);
  }

  class Transcript {
    constructor(now) {
      this.now = now || (() => Date.now());
      this.byId = new Map();
      this.duplicates = 0;
      this.anomalies = [];
    }

    /** In the order the gateway accepted them: message ids are UUIDv7, which sort by time. */
    messages() {
      return [...this.byId.values()].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
    }

    message(messageId) {
      return this.byId.get(messageId);
    }

    ensure(messageId) {
      let m = this.byId.get(messageId);
      if (!m) {
        m = {
          messageId,
          bot: null,
          provider: null,
          question: null,
          text: '',
          status: 'pending',
          nextSeq: 0,
          tokens: 0,
          sentAt: null,
          startedAt: null,
          firstTokenAt: null,
          endedAt: null,
          usage: null,
          error: null,
          fromHistory: false,
        };
        this.byId.set(messageId, m);
      }
      return m;
    }

    /** A message this page sent: its question, and when it was sent (for the time to first token). */
    sent(messageId, bot, question, sentAt) {
      const m = this.ensure(messageId);
      m.bot = m.bot || bot;
      m.question = question;
      m.sentAt = sentAt;
      return m;
    }

    /** Applies one stream event; returns the message it changed, or null when it changed nothing. */
    apply(event) {
      if (!event || typeof event.messageId !== 'string' || typeof event.seq !== 'number') {
        return null;
      }
      const m = this.ensure(event.messageId);
      const from = typeof event.fromSeq === 'number' ? event.fromSeq : event.seq;
      if (isEnded(m.status) || event.seq < m.nextSeq) {
        this.duplicates++;
        return null;
      }
      const overlap = from < m.nextSeq;
      if (overlap) {
        // Part of a merged delta was seen already and its text cannot be split: the terminal
        // event's whole text settles it.
        this.anomaly(m, `overlap: seq ${from}..${event.seq} after ${m.nextSeq - 1}`);
      } else if (from > m.nextSeq) {
        this.anomaly(m, `gap: expected seq ${m.nextSeq}, got ${from}`);
      }
      const now = this.now();
      switch (event.type) {
        case 'message.started':
          m.status = 'streaming';
          m.bot = event.bot || m.bot;
          m.provider = event.provider || m.provider;
          m.startedAt = m.startedAt == null ? now : m.startedAt;
          m.text = '';
          break;
        case 'message.delta':
          if (!overlap) {
            m.text += event.text || '';
          }
          m.tokens += event.seq - from + 1;
          if (m.firstTokenAt == null) {
            m.firstTokenAt = now;
          }
          if (m.status === 'pending') {
            m.status = 'streaming';
          }
          break;
        case 'message.reset':
          m.text = '';
          break;
        default: {
          const outcome = OUTCOMES[event.type];
          if (!outcome) {
            // A type this client does not know: keep its place in the sequence, show nothing.
            break;
          }
          m.status = outcome;
          m.endedAt = now;
          m.usage = event.usage || null;
          m.error = event.error || null;
          if (typeof event.text === 'string' && event.text !== m.text) {
            this.anomaly(m, `text mismatch: streamed ${m.text.length} chars, ${event.type} has ${event.text.length}`);
            m.text = event.text;
          }
        }
      }
      m.nextSeq = event.seq + 1;
      return m;
    }

    /** stream.error cursor_expired: the server replays the messages in progress from their start. */
    restartUnfinished() {
      const restarted = [];
      for (const m of this.byId.values()) {
        if (!isEnded(m.status)) {
          m.text = '';
          m.nextSeq = 0;
          m.tokens = 0;
          restarted.push(m);
        }
      }
      return restarted;
    }

    /**
     * GET /v1/sessions/{id}/messages: fills in questions (of other tabs' messages too), and ends the
     * messages that ended while this page was not listening. The stream stays authoritative for the
     * messages it is streaming.
     */
    fromHistory(list) {
      const changed = [];
      for (const h of list || []) {
        const m = this.ensure(h.messageId);
        m.question = m.question == null ? h.question : m.question;
        m.bot = m.bot || h.bot;
        if (isEnded(h.status) && !isEnded(m.status)) {
          m.status = h.status;
          m.text = h.answer || '';
          m.usage = h.usage || null;
          m.error = h.error || null;
          m.endedAt = h.endedAt ? Date.parse(h.endedAt) : this.now();
          m.fromHistory = true;
        }
        changed.push(m);
      }
      return changed;
    }

    anomaly(m, what) {
      this.anomalies.push({ messageId: m.messageId, what });
    }
  }

  /** Time to first token (ms) and tokens per second of one answer; null where unknown. */
  function metrics(m, now) {
    const ttftMs = m.sentAt != null && m.firstTokenAt != null ? Math.max(0, m.firstTokenAt - m.sentAt) : null;
    const vendorTokens = m.usage && typeof m.usage.outputTokens === 'number' ? m.usage.outputTokens : null;
    const tokens = isEnded(m.status) && vendorTokens != null ? vendorTokens : m.tokens;
    let tokensPerSecond = null;
    if (m.firstTokenAt != null && !m.fromHistory) {
      const seconds = ((m.endedAt != null ? m.endedAt : now) - m.firstTokenAt) / 1000;
      if (seconds >= 0.05 && tokens > 0) {
        tokensPerSecond = tokens / seconds;
      }
    }
    return { ttftMs, tokensPerSecond, tokens };
  }

  return { Transcript, metrics, isEnded };
});
