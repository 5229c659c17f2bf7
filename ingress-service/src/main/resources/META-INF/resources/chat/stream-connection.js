/*
 * One session's stream (docs/api.md, "Session stream"), kept open: the reference client's
 * connection handling, with no DOM, so that browser-tests/test/stream-connection.test.mjs drives it
 * with a fake WebSocket and fake timers.
 *
 * - The first connection has neither `from` nor `cursor` (the messages in progress from their
 *   start, then live events); every later one passes the last cursor received, so nothing is lost
 *   or repeated.
 * - A drop (1006), 1000, 1001 (server shutting down) or 4001 (slow client): reconnect after an
 *   exponential backoff with jitter. 1008 (token refused, e.g. expired): fetch a fresh token first.
 *   4002 (too many connections): back off longer.
 * - States: connecting (first attempt), live, reconnecting, closed (stopped, or the session is gone).
 */
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.StreamConnection = api.StreamConnection;
  }
})(typeof self !== 'undefined' ? self : globalThis, function () {
  'use strict';

  const OPEN = 1;
  const TOKEN_REFUSED = 1008;
  const TOO_MANY_CONNECTIONS = 4002;

  /** The URL without its token, for logs and the debug view. */
  function redact(url) {
    return url.replace(/([?&]token=)[^&]*/, '$1…');
  }

  class StreamConnection {
    /**
     * @param {object} o
     * @param {() => string} o.streamUrl the current stream URL, with its token and no from/cursor
     * @param {() => Promise<void>} o.refreshToken gets a fresh stream token (then streamUrl() has it);
     *   rejects with {fatal: true} when the session is gone
     * @param {(event: object) => void} o.onEvent every message event, in order
     * @param {(frame: object) => void} [o.onStreamError] stream.error frames (cursor_expired)
     * @param {(state: string, detail: string) => void} [o.onState]
     */
    constructor(o) {
      this.o = Object.assign(
        {
          WebSocket: typeof WebSocket !== 'undefined' ? WebSocket : null,
          setTimeout: (f, ms) => setTimeout(f, ms),
          clearTimeout: (t) => clearTimeout(t),
          random: Math.random,
          now: () => Date.now(),
          baseDelayMs: 250,
          maxDelayMs: 8000,
          connectTimeoutMs: 10000,
          stableMs: 3000,
          onStreamError: () => {},
          onState: () => {},
        },
        o,
      );
      this.state = 'closed';
      this.lastCursor = null;
      this.attempt = 0;
      this.ws = null;
      this.timers = new Set();
      this.stopped = true;
      /** One entry per connection attempt: what a test asserts on (window.chatDebug.connections). */
      this.log = [];
    }

    start() {
      if (!this.stopped) {
        return;
      }
      this.stopped = false;
      this.open();
    }

    stop() {
      this.stopped = true;
      this.clearTimers();
      const ws = this.ws;
      this.ws = null;
      if (ws) {
        ws.close(1000, 'closed by the page');
      }
      this.setState('closed', 'stopped');
    }

    url() {
      const base = this.o.streamUrl();
      return this.lastCursor == null ? base : base + '&cursor=' + encodeURIComponent(this.lastCursor);
    }

    open() {
      if (this.stopped) {
        return;
      }
      const url = this.url();
      this.setState(this.log.some((c) => c.openedAt != null) ? 'reconnecting' : 'connecting', '');
      const entry = {
        url: redact(url),
        cursor: this.lastCursor,
        startedAt: this.o.now(),
        openedAt: null,
        closedAt: null,
        code: null,
        reason: null,
        events: 0,
      };
      this.log.push(entry);
      let ws;
      try {
        ws = new this.o.WebSocket(url);
      } catch (e) {
        entry.closedAt = this.o.now();
        entry.reason = String(e);
        this.retry();
        return;
      }
      this.ws = ws;
      const connectTimer = this.later(() => {
        if (ws.readyState !== OPEN) {
          ws.close();
        }
      }, this.o.connectTimeoutMs);
      let stableTimer = null;
      ws.onopen = () => {
        this.cancel(connectTimer);
        entry.openedAt = this.o.now();
        this.setState('live', '');
        stableTimer = this.later(() => (this.attempt = 0), this.o.stableMs);
      };
      ws.onmessage = (message) => {
        let frame;
        try {
          frame = JSON.parse(message.data);
        } catch (e) {
          return;
        }
        entry.events++;
        this.attempt = 0;
        if (frame.type === 'stream.error') {
          this.o.onStreamError(frame);
          return;
        }
        if (typeof frame.cursor === 'string') {
          this.lastCursor = frame.cursor;
        }
        this.o.onEvent(frame);
      };
      ws.onerror = () => {
        // A close event always follows.
      };
      ws.onclose = (close) => {
        this.cancel(connectTimer);
        this.cancel(stableTimer);
        entry.closedAt = this.o.now();
        entry.code = close.code;
        entry.reason = close.reason || '';
        if (this.ws !== ws) {
          return;
        }
        this.ws = null;
        if (this.stopped) {
          return;
        }
        this.closed(close.code, close.reason || '');
      };
    }

    async closed(code, reason) {
      if (code === TOKEN_REFUSED) {
        this.setState('reconnecting', 'token refused (' + reason + '): getting a new one');
        try {
          await this.o.refreshToken();
        } catch (e) {
          if (e && e.fatal) {
            this.stopped = true;
            this.setState('closed', e.message || 'the session is gone');
            return;
          }
        }
      } else if (code === TOO_MANY_CONNECTIONS) {
        this.attempt = Math.max(this.attempt, 4);
      }
      this.retry();
    }

    retry() {
      if (this.stopped) {
        return;
      }
      const delay = this.delay(this.attempt++);
      this.setState('reconnecting', 'next attempt in ' + delay + ' ms');
      this.later(() => this.open(), delay);
    }

    /** Exponential backoff with "equal jitter": between half and all of min(max, base·2^attempt). */
    delay(attempt) {
      const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * Math.pow(2, attempt));
      return Math.round(ceiling / 2 + (this.o.random() * ceiling) / 2);
    }

    setState(state, detail) {
      this.state = state;
      this.o.onState(state, detail || '');
    }

    later(f, ms) {
      const t = this.o.setTimeout(() => {
        this.timers.delete(t);
        f();
      }, ms);
      this.timers.add(t);
      return t;
    }

    cancel(t) {
      if (t != null) {
        this.o.clearTimeout(t);
        this.timers.delete(t);
      }
    }

    clearTimers() {
      for (const t of this.timers) {
        this.o.clearTimeout(t);
      }
      this.timers.clear();
    }
  }

  return { StreamConnection, redact };
});
