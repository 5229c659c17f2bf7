package io.chatstream.connector.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import java.util.ArrayList;
import java.util.List;

/** Collects published events and checks the rules every message's events must follow. */
final class RecordingSink implements EventSink {

    private final List<MessageEvent> events = new ArrayList<>();

    @Override
    public synchronized void publish(String provider, MessageEvent event) {
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

    synchronized MessageEvent terminal() {
        return events.stream().filter(MessageEvent::isTerminal).findFirst().orElseThrow();
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
        StringBuilder text = new StringBuilder();
        for (MessageEvent e : events) {
            if (MessageEvent.RESET.equals(e.type())) {
                text.setLength(0);
            } else if (MessageEvent.DELTA.equals(e.type())) {
                text.append(e.text());
            }
        }
        assertThat(events.get(events.size() - 1).text()).isEqualTo(text.toString());
    }
}
