package io.chatstream.faults;

import io.chatstream.faults.EventLog.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Kafka holds of a set of accepted messages, against the contract (docs/api.md): each has
 * exactly one {@code message.started} with seq 0, gapless seqs, exactly one terminal event, and a
 * completed text equal to the deltas after the last reset.
 *
 * @param lost accepted, and not one event on {@code chat.events}
 * @param duplicated a second {@code message.started} or terminal event, or a seq repeated
 * @param hung started and without a terminal event by the deadline
 * @param broken a seq gap, or a completed text that is not its deltas
 */
record Verdict(
        int accepted,
        int terminal,
        int lost,
        int duplicated,
        int hung,
        int broken,
        Map<String, Integer> outcomes,
        int resets,
        Duration p50,
        Duration max,
        List<String> problems) {

    boolean clean() {
        return lost == 0 && duplicated == 0 && hung == 0 && broken == 0 && terminal == accepted;
    }

    /** @param acceptedAt per messageId, when the client got its 202 */
    static Verdict of(EventLog log, Map<String, Instant> acceptedAt) {
        int terminal = 0, lost = 0, duplicated = 0, hung = 0, broken = 0, resets = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Duration> times = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (var entry : acceptedAt.entrySet()) {
            String id = entry.getKey();
            List<Event> events = log.of(id);
            if (events.isEmpty()) {
                lost++;
                problems.add(id + ": no event");
                continue;
            }
            long starts = events.stream()
                    .filter(e -> e.type().equals("message.started"))
                    .count();
            List<Event> terminals =
                    events.stream().filter(e -> EventLog.isTerminal(e.type())).toList();
            resets += (int) events.stream()
                    .filter(e -> e.type().equals("message.reset"))
                    .count();
            if (terminals.isEmpty()) {
                hung++;
                problems.add(id + ": no terminal event after " + events.size() + " events");
            } else {
                terminal++;
                Event end = terminals.get(0);
                String outcome = end.type().substring("message.".length())
                        + (end.errorCode() == null ? "" : " " + end.errorCode());
                outcomes.merge(outcome, 1, Integer::sum);
                times.add(
                        Duration.between(entry.getValue(), end.time()).isNegative()
                                ? Duration.ZERO
                                : Duration.between(entry.getValue(), end.time()));
            }
            if (starts != 1 || terminals.size() > 1 || !seqsUnique(events)) {
                duplicated++;
                problems.add(id + ": " + starts + " started, " + terminals.size() + " terminal, seqs " + seqs(events));
            } else if (!seqsGapless(events) || !textMatches(events)) {
                broken++;
                problems.add(id + ": seqs " + seqs(events) + (textMatches(events) ? "" : ", text differs from deltas"));
            }
        }
        times.sort(null);
        return new Verdict(
                acceptedAt.size(),
                terminal,
                lost,
                duplicated,
                hung,
                broken,
                outcomes,
                resets,
                times.isEmpty() ? Duration.ZERO : times.get(times.size() / 2),
                times.isEmpty() ? Duration.ZERO : times.get(times.size() - 1),
                problems);
    }

    private static boolean seqsUnique(List<Event> events) {
        return events.stream().map(Event::seq).distinct().count() == events.size();
    }

    private static boolean seqsGapless(List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).seq() != i) {
                return false;
            }
        }
        return true;
    }

    private static boolean textMatches(List<Event> events) {
        StringBuilder text = new StringBuilder();
        for (Event e : events) {
            switch (e.type()) {
                case "message.reset" -> text.setLength(0);
                case "message.delta" -> text.append(e.text());
                case "message.completed" -> {
                    return text.toString().equals(e.text());
                }
                default -> {}
            }
        }
        return true;
    }

    private static String seqs(Collection<Event> events) {
        StringBuilder s = new StringBuilder();
        for (Event e : events) {
            s.append(e.type().substring("message.".length(), "message.".length() + 1))
                    .append(e.seq())
                    .append(' ');
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s.toString().trim();
    }
}
