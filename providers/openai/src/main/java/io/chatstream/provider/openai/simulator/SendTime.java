package io.chatstream.provider.openai.simulator;

import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * The send time a simulated token carries with {@code #sim:timestamps}: the token's text, then
 * {@code U+2063 <microseconds since the epoch> U+2063} (U+2063 is the invisible separator, which
 * no answer contains).
 *
 * <p>Why wall-clock microseconds: the benchmark compares the vendor's send time with the client's
 * receive time in another process. {@code System.nanoTime()} has an arbitrary origin per JVM, so
 * it cannot cross processes; {@link Instant#now()} reads the kernel's {@code CLOCK_REALTIME} with
 * microsecond resolution on Linux (JDK 15+), and every process of one machine reads the same
 * clock. An NTP step during a run would shift both ends alike except across the step itself; the
 * benchmark runs on one machine, so this is the shared clock it needs.
 */
public final class SendTime {

    public static final char MARK = '\u2063';

    private SendTime() {}

    /** The marker to append to a token sent at {@code now}. */
    public static String mark(Instant now) {
        return MARK + Long.toString(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000) + MARK;
    }

    /** Microseconds since the epoch, now, on the same clock as {@link #mark}. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Calls {@code each} with every send time found in {@code text} (a merged delta holds several),
     * and appends the text without its markers to {@code plain} (may be null).
     *
     * @return how many markers were found
     */
    public static int scan(CharSequence text, StringBuilder plain, LongConsumer each) {
        int found = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != MARK) {
                if (plain != null) {
                    plain.append(c);
                }
                i++;
                continue;
            }
            int end = i + 1;
            long micros = 0;
            while (end < n && text.charAt(end) != MARK) {
                micros = micros * 10 + (text.charAt(end) - '0');
                end++;
            }
            each.accept(micros);
            found++;
            i = end + 1;
        }
        return found;
    }
}
