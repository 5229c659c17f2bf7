package io.chatstream.connector.scheduling;

import io.chatstream.connector.stream.MessageStream;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.connector.stream.PriorAttempt;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Decides when each request of one provider streams: the messages of one session one at a time,
 * in order (per-session FIFO); at most {@code max-concurrency} streams per bot, and at most {@code
 * max-concurrency-per-tenant} of them for one API key, so one slow vendor account or one busy
 * tenant cannot take every slot; a freed slot goes to the waiting tenant with the fewest streams of
 * that bot. Streams are started and cancelled outside this object's lock, since they call back
 * into it when they end.
 *
 * <p>A request is finished ({@code done}) only once its terminal event is stored on Kafka: its
 * offset may be committed then, not before.
 */
public final class RequestScheduler {

    private static final Logger LOG = Logger.getLogger(RequestScheduler.class);

    /** One request taken from Kafka, from the moment it is read until its message ended. */
    private record Pending(
            ChatRequestEvent request, int partition, BotConfig bot, MessageStream stream, Runnable done) {
        String tenant() {
            return request.tenant() == null ? "" : request.tenant();
        }
    }

    private final String providerName;
    private final ChatProvider provider;
    private final Map<String, BotConfig> bots;
    private final MessageStreamer streamer;
    private final RecentMessages recent;

    /** Each session's queue, by stream key: two API keys' sessions of one id never wait on each other. */
    private final Map<String, ArrayDeque<Pending>> sessions = new HashMap<>();

    private final Map<String, List<Pending>> waitingForBot = new HashMap<>();
    private final Map<String, BotSlots> slots = new HashMap<>();
    private final Map<String, Pending> byMessageId = new HashMap<>();

    public RequestScheduler(
            String providerName,
            ChatProvider provider,
            Map<String, BotConfig> bots,
            MessageStreamer streamer,
            RecentMessages recent) {
        this.providerName = providerName;
        this.provider = provider;
        this.bots = bots;
        this.streamer = streamer;
        this.recent = recent;
    }

    /** Takes a request; {@code done} runs once its message has ended and is stored (or at once if skipped). */
    public void submit(ChatRequestEvent request, Runnable done) {
        submit(request, 0, null, done);
    }

    /** Whether this instance took the message already (it is answered, or being answered, here). */
    public boolean taken(String messageId) {
        return recent.contains(messageId);
    }

    /**
     * Takes a request that an earlier owner may have begun: {@code prior} is what Kafka holds of
     * its events (null: nothing). See {@link PriorAttempt} for what each case does.
     *
     * @param partition the request's partition, by which {@link #release} gives requests back
     */
    public void submit(ChatRequestEvent request, int partition, PriorAttempt prior, Runnable done) {
        if (!recent.add(request.messageId())) {
            // Answered here already, and stored (a request in flight here is never handed in twice).
            LOG.debugf("message %s was already taken: skipped", request.messageId());
            done.run();
            return;
        }
        if (prior != null && prior.ended()) {
            LOG.infof("message %s was answered before a restart: not answered again", request.messageId());
            streamer.alreadyEnded(
                    providerName,
                    request.bot(),
                    request.text(),
                    prior.terminal().get());
            done.run();
            return;
        }
        BotConfig bot = bots.get(request.bot());
        if (bot == null || !providerName.equals(bot.provider())) {
            whenStored(
                    request.messageId(),
                    streamer.reject(
                            providerName,
                            request.kafkaKey(),
                            request.sessionId(),
                            request.messageId(),
                            request.bot(),
                            request.text(),
                            ErrorCode.PROVIDER_ERROR,
                            "bot " + request.bot() + " is not configured for provider " + providerName),
                    done);
            return;
        }
        ProviderCall call = new ProviderCall(
                request.bot(), bot, request.sessionId(), request.messageId(), request.text(), request.context());
        if (prior != null && prior.restartedBefore()) {
            LOG.warnf("message %s outlived two connectors: failed with connector_restarted", request.messageId());
            whenStored(
                    request.messageId(), streamer.failRestarted(providerName, call, request.kafkaKey(), prior), done);
            return;
        }
        Pending[] self = new Pending[1];
        MessageStream stream =
                streamer.prepare(provider, providerName, call, request.kafkaKey(), outcome -> ended(self[0]));
        if (prior != null) {
            LOG.infof(
                    "message %s was streaming when its connector stopped: restarted after seq %d",
                    request.messageId(), prior.lastSeq());
            stream.restartAfter(prior.lastSeq());
        }
        Pending pending = new Pending(request, partition, bot, stream, done);
        self[0] = pending;
        MessageStream toStart = null;
        synchronized (this) {
            byMessageId.put(request.messageId(), pending);
            ArrayDeque<Pending> queue = sessions.computeIfAbsent(request.kafkaKey(), k -> new ArrayDeque<>());
            queue.add(pending);
            if (queue.size() == 1) {
                toStart = admit(pending);
            }
        }
        if (toStart != null) {
            toStart.start();
        }
    }

    /** Cancels a queued or streaming message; nothing when it already ended (no second terminal). */
    public void cancel(String messageId) {
        Pending pending;
        synchronized (this) {
            pending = byMessageId.get(messageId);
        }
        if (pending == null) {
            LOG.debugf("cancel of message %s, which is not in flight here: ignored", messageId);
            return;
        }
        pending.stream().cancel();
    }

    /** Requests taken and not ended: queued or streaming. */
    public synchronized int inFlight() {
        return byMessageId.size();
    }

    /** Requests taken that wait for their turn (behind their session's previous message, or a slot). */
    public synchronized int queued() {
        return byMessageId.size()
                - slots.values().stream().mapToInt(BotSlots::running).sum();
    }

    /** Messages of these partitions taken here and not ended: queued or streaming. */
    public synchronized int inFlight(Set<Integer> partitions) {
        return (int) byMessageId.values().stream()
                .filter(p -> partitions.contains(p.partition()))
                .count();
    }

    /**
     * Gives back the messages of partitions this instance does not own any more: those still
     * queued are forgotten here, and with {@code streaming} also those that stream (their vendor
     * call is closed, nothing more is published). None is finished: their requests stay
     * unfinished, so the partition's next owner takes them (and restarts a started one after a
     * {@code message.reset}). Returns how many were given back.
     */
    public int release(Set<Integer> partitions, boolean streaming) {
        List<Pending> released = new ArrayList<>();
        List<MessageStream> toStart = new ArrayList<>();
        synchronized (this) {
            for (Pending pending : List.copyOf(byMessageId.values())) {
                if (!partitions.contains(pending.partition())) {
                    continue;
                }
                boolean running = slotHeld(pending);
                if (running && !(streaming && pending.stream().abandon())) {
                    continue;
                }
                released.add(pending);
                byMessageId.remove(pending.request().messageId());
                recent.remove(pending.request().messageId());
                ArrayDeque<Pending> queue = sessions.get(pending.request().kafkaKey());
                if (queue != null) {
                    queue.remove(pending);
                    if (queue.isEmpty()) {
                        sessions.remove(pending.request().kafkaKey());
                    }
                }
                List<Pending> waiting = waitingForBot.get(pending.request().bot());
                if (waiting != null) {
                    waiting.remove(pending);
                }
                if (running) {
                    slots(pending.request().bot()).release(pending.tenant());
                    Pending next = nextWaiting(pending.bot(), pending.request().bot());
                    if (next != null) {
                        toStart.add(next.stream());
                    }
                }
            }
        }
        toStart.forEach(MessageStream::start);
        return released.size();
    }

    /** Whether the message streams (it holds a slot of its bot): the head of its session, not waiting. */
    private boolean slotHeld(Pending pending) {
        ArrayDeque<Pending> queue = sessions.get(pending.request().kafkaKey());
        List<Pending> waiting = waitingForBot.get(pending.request().bot());
        return queue != null && queue.peekFirst() == pending && (waiting == null || !waiting.contains(pending));
    }

    private void ended(Pending pending) {
        List<MessageStream> toStart = new ArrayList<>();
        synchronized (this) {
            if (byMessageId.remove(pending.request().messageId()) == null) {
                return;
            }
            String botName = pending.request().bot();
            ArrayDeque<Pending> queue = sessions.get(pending.request().kafkaKey());
            boolean wasHead = queue != null && queue.peekFirst() == pending;
            if (queue != null) {
                queue.remove(pending);
            }
            List<Pending> waiting = waitingForBot.get(botName);
            boolean wasWaiting = waiting != null && waiting.remove(pending);
            if (wasHead && !wasWaiting) {
                // It held a slot of its bot: hand it to the waiting head that deserves it most.
                slots(botName).release(pending.tenant());
                Pending next = nextWaiting(pending.bot(), botName);
                if (next != null) {
                    toStart.add(next.stream());
                }
            }
            if (queue != null && queue.isEmpty()) {
                sessions.remove(pending.request().kafkaKey());
            } else if (wasHead && queue != null) {
                MessageStream next = admit(queue.peekFirst());
                if (next != null) {
                    toStart.add(next);
                }
            }
        }
        whenStored(pending.request().messageId(), pending.stream().terminalStored(), pending.done());
        toStart.forEach(MessageStream::start);
    }

    /** The head of a session: streams now if its bot and tenant have a free slot, else waits for one. */
    private MessageStream admit(Pending head) {
        String botName = head.request().bot();
        if (slots(botName).tryTake(head.tenant(), head.bot())) {
            return head.stream();
        }
        waitingForBot.computeIfAbsent(botName, k -> new ArrayList<>()).add(head);
        return null;
    }

    /** Takes the slot for the waiting head whose tenant runs the fewest streams of the bot (oldest first among equals). */
    private Pending nextWaiting(BotConfig bot, String botName) {
        List<Pending> waiting = waitingForBot.get(botName);
        if (waiting == null || waiting.isEmpty()) {
            return null;
        }
        BotSlots botSlots = slots(botName);
        Pending best = null;
        for (Pending candidate : waiting) {
            if (botSlots.fits(candidate.tenant(), bot)
                    && (best == null || botSlots.running(candidate.tenant()) < botSlots.running(best.tenant()))) {
                best = candidate;
            }
        }
        if (best != null) {
            waiting.remove(best);
            botSlots.tryTake(best.tenant(), bot);
        }
        return best;
    }

    private BotSlots slots(String botName) {
        return slots.computeIfAbsent(botName, k -> new BotSlots());
    }

    /** Runs {@code done} once the terminal event is stored; a terminal that never is keeps the request unfinished. */
    private static void whenStored(String messageId, CompletionStage<Void> stored, Runnable done) {
        stored.whenComplete((ok, error) -> {
            if (error == null) {
                done.run();
            } else {
                LOG.errorf(
                        "the terminal event of message %s is not stored (%s): its request stays unfinished,"
                                + " to be answered again after a restart",
                        messageId, error.getMessage());
            }
        });
    }
}
