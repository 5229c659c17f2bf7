package io.chatstream.simulator.contract;

import io.chatstream.contract.event.MessageEvent;
import java.util.List;

/** The events of one message, as the streamer sent them. */
public record Answer(List<MessageEvent> events) {

    /** The last event, which ends the message. */
    public MessageEvent.Terminal terminal() {
        return terminal(MessageEvent.Terminal.class);
    }

    /** The last event, which must be of {@code kind}. */
    public <T extends MessageEvent> T terminal(Class<T> kind) {
        MessageEvent last = events.get(events.size() - 1);
        if (!kind.isInstance(last)) {
            throw new AssertionError("the last event is no " + kind.getSimpleName() + ": " + types());
        }
        return kind.cast(last);
    }

    public List<String> types() {
        return events.stream().map(MessageEvent::type).toList();
    }

    public List<MessageEvent.Delta> deltas() {
        return events.stream()
                .filter(MessageEvent.Delta.class::isInstance)
                .map(MessageEvent.Delta.class::cast)
                .toList();
    }

    /** The deltas after the last reset: what the terminal event's text must equal. */
    public String deltaText() {
        return MessageEvent.textSinceLastReset(events);
    }
}
