package io.chatstream.connector.stream;

import io.chatstream.contract.event.MessageEvent;
import java.util.Optional;

/**
 * What {@code chat.events} already holds of one message, written by an earlier owner of its
 * request (a connector that died, or gave the partition away, before committing it). It decides
 * what the new owner does with the redelivered request (docs/reliability.md):
 *
 * <ul>
 *   <li>nothing was published: the message streams as if new;
 *   <li>it ended: nothing is published again (its history record is rewritten, in case the
 *       earlier owner died before writing it);
 *   <li>it started and never ended: it streams again from its start after a {@code message.reset}
 *       whose seq continues the earlier ones, unless it was already restarted once (a reset among
 *       its events): then it fails with {@code connector_restarted}, so that a request that kills
 *       its connector cannot do so forever.
 * </ul>
 *
 * @param lastSeq the highest seq published for the message
 * @param resets how many {@code message.reset} events it has
 * @param textSoFar the delta text since its last reset
 * @param terminal its terminal event, if it has one
 */
public record PriorAttempt(long lastSeq, int resets, String textSoFar, Optional<MessageEvent.Terminal> terminal) {

    public boolean ended() {
        return terminal.isPresent();
    }

    /** Whether an earlier restart already re-streamed it: it is not restarted again. */
    public boolean restartedBefore() {
        return resets > 0;
    }
}
