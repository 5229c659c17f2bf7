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
import org.jboss.logging.Logger;

/**
 * Decides when each request of one provider streams: the messages of one session one at a time,
 * in order (per-session FIFO); at most {@code max-concurrency} streams per bot, so one slow vendor
 * account cannot take every slot; many sessions at once. Streams are started and cancelled outside
 * this object's lock, since they call back into it when they end.
 */
public final class RequestScheduler {

    private static final Logger LOG = Logger.getLogger(RequestScheduler.class);

    /** One request taken from Kafka, from the moment it is read until its message ended. */
    private record Pending(ChatRequestEvent request, BotConfig bot, MessageStream stream, Runnable done) {}

    private final String providerName;
    private final ChatProvider provider;
    private final Map<String, BotConfig> bots;
    private final MessageStreamer streamer;
    private final RecentMessages recent;

    private final Map<String, ArrayDeque<Pending>> sessions = new HashMap<>();
    private final Map<String, ArrayDeque<Pending>> waitingForBot = new HashMap<>();
    private final Map<String, Integer> runningPerBot = new HashMap<>();
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

    /** Takes a request; {@code done} runs once its message has ended (or at once if it is skipped). */
    public void submit(ChatRequestEvent request, Runnable done) {
        submit(request, null, done);
    }

    /** Whether this instance took the message already (it is answered, or being answered, here). */
    public boolean taken(String messageId) {
        return recent.contains(messageId);
    }

    /**
     * Takes a request that an earlier owner may have begun: {@code prior} is what Kafka holds of
     * its events (null: nothing). See {@link PriorAttempt} for what each case does.
     */
    public void submit(ChatRequestEvent request, PriorAttempt prior, Runnable done) {
        if (!recent.add(request.messageId())) {
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
            streamer.reject(
                    providerName,
                    request.sessionId(),
                    request.messageId(),
                    request.bot(),
                    request.text(),
                    ErrorCode.PROVIDER_ERROR,
                    "bot " + request.bot() + " is not configured for provider " + providerName);
            done.run();
            return;
        }
        ProviderCall call = new ProviderCall(
                request.bot(), bot, request.sessionId(), request.messageId(), request.text(), request.context());
        if (prior != null && prior.restartedBefore()) {
            LOG.warnf("message %s outlived two connectors: failed with connector_restarted", request.messageId());
            streamer.failRestarted(providerName, call, prior);
            done.run();
            return;
        }
        Pending[] self = new Pending[1];
        MessageStream stream = streamer.prepare(provider, providerName, call, outcome -> ended(self[0]));
        if (prior != null) {
            LOG.infof(
                    "message %s was streaming when its connector stopped: restarted after seq %d",
                    request.messageId(), prior.lastSeq());
            stream.restartAfter(prior.lastSeq());
        }
        Pending pending = new Pending(request, bot, stream, done);
        self[0] = pending;
        MessageStream toStart = null;
        synchronized (this) {
            byMessageId.put(request.messageId(), pending);
            ArrayDeque<Pending> queue = sessions.computeIfAbsent(request.sessionId(), k -> new ArrayDeque<>());
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

    private void ended(Pending pending) {
        List<MessageStream> toStart = new ArrayList<>();
        synchronized (this) {
            if (byMessageId.remove(pending.request().messageId()) == null) {
                return;
            }
            String botName = pending.request().bot();
            ArrayDeque<Pending> queue = sessions.get(pending.request().sessionId());
            boolean wasHead = queue != null && queue.peekFirst() == pending;
            if (queue != null) {
                queue.remove(pending);
            }
            ArrayDeque<Pending> waiting = waitingForBot.get(botName);
            boolean wasWaiting = waiting != null && waiting.remove(pending);
            if (wasHead && !wasWaiting) {
                // It held a slot of its bot: hand it to the next waiting head of any session.
                runningPerBot.merge(botName, -1, Integer::sum);
                Pending next = waiting == null ? null : waiting.pollFirst();
                if (next != null) {
                    runningPerBot.merge(botName, 1, Integer::sum);
                    toStart.add(next.stream());
                }
            }
            if (queue != null && queue.isEmpty()) {
                sessions.remove(pending.request().sessionId());
            } else if (wasHead && queue != null) {
                MessageStream next = admit(queue.peekFirst());
                if (next != null) {
                    toStart.add(next);
                }
            }
        }
        pending.done().run();
        toStart.forEach(MessageStream::start);
    }

    /** The head of a session: streams now if its bot has a free slot, else waits for one. */
    private MessageStream admit(Pending head) {
        String botName = head.request().bot();
        int running = runningPerBot.getOrDefault(botName, 0);
        if (running < head.bot().maxConcurrency()) {
            runningPerBot.put(botName, running + 1);
            return head.stream();
        }
        waitingForBot.computeIfAbsent(botName, k -> new ArrayDeque<>()).add(head);
        return null;
    }
}
