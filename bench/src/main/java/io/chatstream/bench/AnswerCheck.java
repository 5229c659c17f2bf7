package io.chatstream.bench;

import io.chatstream.provider.openai.simulator.SendTime;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.common.SimSwitches;

/**
 * Follows one streamed answer as a client receives it: records each token's added latency
 * (receive time minus the vendor's send time, both wall-clock microseconds), the time to the first
 * token, and checks that the answer is whole and in order: every token of the simulator's scripted
 * answer, once, in order, with non-decreasing send times, and (gateway) gapless seq numbers and a
 * completed text equal to the deltas.
 */
final class AnswerCheck {

    private final RunStats stats;
    private final String expected;
    private final int expectedTokens;
    private final long postNanos;
    /** The same moment on the wall clock (epoch µs), comparable with the vendor's send times. */
    private final long postMicros = SendTime.nowMicros();

    private long firstSentMicros = -1;
    private final StringBuilder plain = new StringBuilder();
    private final StringBuilder raw = new StringBuilder();
    private int tokens;
    private long lastSent;
    private long firstTokenNanos = -1;
    private long lastSeq = -1;
    private String failure;
    private boolean ended;

    AnswerCheck(RunStats stats, String question, int expectedTokens, long postNanos) {
        this.stats = stats;
        this.expected = String.join("", ScriptedAnswer.tokens(SimSwitches.stripDirectives(question), expectedTokens));
        this.expectedTokens = expectedTokens;
        this.postNanos = postNanos;
    }

    /** A gateway event's seq range; a merged delta spans {@code fromSeq..seq}. */
    void seq(long fromSeq, long seq) {
        if (fromSeq != lastSeq + 1 || seq < fromSeq) {
            fail("seq " + fromSeq + ".." + seq + " after " + lastSeq);
        }
        lastSeq = seq;
    }

    /** Text as received (one token, or several merged). */
    void text(String text, long receivedNanos, long receivedMicros) {
        if (firstTokenNanos < 0) {
            firstTokenNanos = receivedNanos;
        }
        raw.append(text);
        tokens += SendTime.scan(text, plain, sent -> {
            if (sent < lastSent) {
                fail("send times out of order");
            }
            lastSent = sent;
            if (firstSentMicros < 0) {
                firstSentMicros = sent;
            }
            stats.tokenLatency(receivedMicros - sent);
        });
    }

    String rawText() {
        return raw.toString();
    }

    void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    boolean ended() {
        return ended;
    }

    /** The answer ended (completed / [DONE]); records the message as complete or not. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (tokens != expectedTokens) {
            fail(tokens + " tokens, expected " + expectedTokens);
        } else if (!plain.toString().equals(expected)) {
            fail("text differs from the scripted answer");
        }
        if (firstTokenNanos >= 0) {
            stats.firstToken(firstTokenNanos - postNanos);
        }
        if (firstSentMicros >= 0) {
            stats.vendorFirstSent(firstSentMicros - postMicros);
        }
        stats.message(failure);
    }
}
