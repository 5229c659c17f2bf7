package io.chatstream.connector.stream;

/**
 * The timings of one message's vendor call, for {@link ConnectorMetrics}: call start (each retry
 * restarts it), first token, the gap between tokens, and the call's end. Used under its {@link
 * MessageStream}'s lock.
 */
final class StreamClock {

    private final ConnectorMetrics metrics;
    private final String bot;
    private final String provider;
    private ConnectorMetrics.BotMeters meters;
    private long callStart;
    private long lastToken;
    private boolean calling;

    StreamClock(ConnectorMetrics metrics, String bot, String provider) {
        this.metrics = metrics;
        this.bot = bot == null ? "unknown" : bot;
        this.provider = provider;
    }

    void callStarted() {
        callStart = System.nanoTime();
        lastToken = 0;
        calling = true;
    }

    void token() {
        long now = System.nanoTime();
        if (meters == null) {
            meters = metrics.bot(bot, provider);
        }
        meters.tokens().increment();
        if (lastToken == 0) {
            meters.firstToken().record(now - callStart, java.util.concurrent.TimeUnit.NANOSECONDS);
        } else {
            meters.interToken().record(now - lastToken, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        lastToken = now;
    }

    /** The message ended: the vendor call that was running (if any) ends with it. */
    void ended(Outcome outcome) {
        if (calling) {
            calling = false;
            metrics.vendorRequest(bot, provider, outcome, System.nanoTime() - callStart);
        }
    }
}
