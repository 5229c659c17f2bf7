package io.chatstream.connector.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import java.util.ArrayList;
import java.util.List;

/** Collects published events and checks the rules every message's events must follow. */
final class RecordingSink implements EventSink {

    private final List<MessageEvent> events = new ArrayList<>();

    @Override
    public synchronized void publish(String provider, String key, MessageEvent event) {
        events.add(event);
    }

    /** Forgets what was recorded: the next message is checked on its own. */
    synchronized void clear() {
        events.clear();
    }

    synchronized List<MessageEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<String> types() {
        return events.stream().map(MessageEvent::type).toList();
    }

    synchronized MessageEvent.Terminal terminal() {
        return terminal(MessageEvent.Terminal.class);
    }

    /** The first terminal event, which must be of {@code kind}. */
    synchronized <T extends MessageEvent.Terminal> T terminal(Class<T> kind) {
        MessageEvent terminal =
                events.stream().filter(MessageEvent::isTerminal).findFirst().orElseThrow();
        assertThat(terminal).as(types().toString()).isInstanceOf(kind);
        return kind.cast(terminal);
    }

    /** The event at {@code index}, which must be of {@code kind}. */
    synchronized <T extends MessageEvent> T event(int index, Class<T> kind) {
        assertThat(events.get(index)).as(types().toString()).isInstanceOf(kind);
        return kind.cast(events.get(index));
    }

    /** started first, seq 0.. without gaps, one terminal last, terminal text = deltas after the last reset. */
    synchronized void assertWellFormed() {
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).type()).isEqualTo(MessageEvent.STARTED);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("seq of event %d", i).isEqualTo(i);
        }
        assertThat(events.stream().filter(MessageEvent::isTerminal)).hasSize(1);
        assertThat(events.get(events.size() - 1).isTerminal()).isTrue();
        assertThat(terminal().text()).isEqualTo(MessageEvent.textSinceLastReset(events));
    }
}
