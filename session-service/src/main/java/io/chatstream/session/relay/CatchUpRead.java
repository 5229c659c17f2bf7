package io.chatstream.session.relay;

import io.chatstream.contract.Topics;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.metrics.SessionMetrics.ResumeResult;
import io.chatstream.session.metrics.SessionMetrics.ResumeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One catch-up on a borrowed consumer: seek the session's partition, keep the session's records,
 * and feed them to its replay until the replay says memory and live events take over. Reads
 * every record of the partition in that range (other sessions' too): the cost of an old cursor.
 */
final class CatchUpRead {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private CatchUpRead() {}

    /**
     * @return a further catch-up when the cursor proved unservable and the messages in progress
     *     need Kafka in turn; empty when the watch is live (or gone)
     * @throws CatchUpFailed when Kafka does not get there within {@code timeout}
     */
    static Optional<CatchUp> run(
            KafkaConsumer<String, byte[]> consumer, CatchUp catchUp, Duration timeout, SessionMetrics metrics) {
        TopicPartition partition = new TopicPartition(Topics.EVENTS, catchUp.partition());
        consumer.assign(List.of(partition));
        long logStart =
                consumer.beginningOffsets(List.of(partition), KAFKA_TIMEOUT).get(partition);
        Cursor validate = catchUp.validate();
        if (validate != null) {
            // Below the log start: deleted by retention. At or past the end (the last committed
            // offset, read_committed): never one of ours.
            long end = consumer.endOffsets(List.of(partition), KAFKA_TIMEOUT).get(partition);
            if (validate.offset() < logStart || validate.offset() >= end) {
                metrics.resumed(ResumeSource.KAFKA, ResumeResult.CURSOR_EXPIRED);
                return catchUp.replay().expire(catchUp.watch());
            }
        }
        // A message start lost to retention can only happen when retention is shorter than the
        // replay window; then its remains are all there is.
        consumer.seek(partition, Math.max(catchUp.fromOffset(), logStart));
        boolean validated = validate == null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<RelayedEvent> batch = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(CatchUpReaders.POLL_TIMEOUT).records(partition)) {
                if (!validated) {
                    // The cursor's own record must be there and be this session's: a cursor of
                    // another session (or made up) would otherwise open someone else's stream.
                    if (record.offset() != validate.offset()
                            || !catchUp.streamKey().equals(record.key())) {
                        metrics.resumed(ResumeSource.KAFKA, ResumeResult.CURSOR_EXPIRED);
                        return catchUp.replay().expire(catchUp.watch());
                    }
                    validated = true;
                } else if (catchUp.streamKey().equals(record.key()) && record.value() != null) {
                    decode(record).ifPresent(batch::add);
                }
            }
            if (validated && catchUp.replay().caughtUp(catchUp.watch(), batch, consumer.position(partition))) {
                if (validate != null) {
                    // A client's cursor (not this replica's own tracking): a resume, now live.
                    metrics.resumed(ResumeSource.KAFKA, ResumeResult.SERVED);
                }
                return Optional.empty();
            }
        }
        throw new CatchUpFailed("no hand-over within " + timeout);
    }

    private static Optional<RelayedEvent> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(EventDecoder.decode(record));
        } catch (RuntimeException e) {
            // The live reader skips it too (and logs it): skipping keeps both paths identical.
            return Optional.empty();
        }
    }

    /** Kafka did not serve the catch-up: the client is told to come back with its cursor. */
    static final class CatchUpFailed extends RuntimeException {
        CatchUpFailed(String message) {
            super(message);
        }
    }
}
