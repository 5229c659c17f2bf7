package io.chatstream.connector.conversation;

import io.chatstream.connector.history.MessageHistory;
import io.chatstream.contract.event.MessageEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The history records a streamer writes, kept for assertions. */
public final class RecordingHistory implements MessageHistory {

    public final List<MessageEvent.Terminal> terminals = new CopyOnWriteArrayList<>();

    @Override
    public void ended(String bot, String provider, String question, MessageEvent.Terminal terminal) {
        terminals.add(terminal);
    }
}
