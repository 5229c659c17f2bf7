package io.chatstream.connector.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageIds;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring of recent ids: what it keeps, in which order it forgets, and its index under collisions. */
class RecentMessagesTest {

    @Test
    void theOldestIdsAreForgottenFirst() {
        RecentMessages recent = new RecentMessages(3);
        List<String> ids = ids(5);

        ids.forEach(id -> assertThat(recent.add(id)).isTrue());

        assertThat(ids).filteredOn(recent::contains).containsExactlyElementsOf(ids.subList(2, 5));
        assertThat(recent.add(ids.get(4))).as("already there").isFalse();
    }

    @Test
    void anIdRemovedIsTakenAgainAndKeptAsTheNewest() {
        RecentMessages recent = new RecentMessages(3);
        List<String> ids = ids(4);
        recent.add(ids.get(0));
        recent.add(ids.get(1));
        recent.add(ids.get(2));

        recent.remove(ids.get(0));
        assertThat(recent.contains(ids.get(0))).isFalse();
        assertThat(recent.add(ids.get(0))).isTrue();
        recent.add(ids.get(3));

        // The last three adds: the third, the first again and the fourth; the second went.
        assertThat(ids).filteredOn(recent::contains).containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(3));
        recent.remove("never added");
        assertThat(recent.contains(ids.get(0))).isTrue();
    }

    @Test
    void idsThatAreNotUuidsAreKeptApartFromEachOtherAndFromUuids() {
        RecentMessages recent = new RecentMessages(10);
        String uuid = MessageIds.newId(Instant.now());

        recent.add("m-1");
        recent.add(uuid);

        assertThat(recent.contains("m-1")).isTrue();
        assertThat(recent.contains("m-2")).isFalse();
        assertThat(recent.contains(uuid)).isTrue();
        // Another string, though the same UUID to UUID.fromString.
        assertThat(recent.contains(uuid.toUpperCase(Locale.ROOT))).isFalse();
        assertThat(RecentMessages.key("m-1").version()).isEqualTo(3);
    }

    /**
     * A small ring (an index of 32 positions for 8 ids) under thousands of adds and removes: many
     * ids share a home position and probe chains wrap around the table's end, so every removal
     * shifts entries back. The ring must answer exactly as a list of the last 8 adds (less those removed) does.
     */
    @Test
    void collidingIdsAreFoundAfterAnyMixOfAddsRemovesAndEvictions() {
        int capacity = 8;
        RecentMessages recent = new RecentMessages(capacity);
        // The model: every successful add in order, the last `capacity` of them, each alive until removed.
        ArrayDeque<String[]> lastAdds = new ArrayDeque<>();
        List<String> pool = ids(40);
        pool.addAll(List.of("a", "b", "c", "d", "e"));
        Random random = new Random(7);

        for (int step = 0; step < 20_000; step++) {
            String id = pool.get(random.nextInt(pool.size()));
            String[] alive = alive(lastAdds, id);
            if (random.nextInt(3) == 0) {
                recent.remove(id);
                if (alive != null) {
                    alive[0] = null;
                }
            } else {
                assertThat(recent.add(id)).as("step %d: add %s", step, id).isEqualTo(alive == null);
                if (alive == null) {
                    lastAdds.addLast(new String[] {id});
                    if (lastAdds.size() > capacity) {
                        lastAdds.pollFirst();
                    }
                }
            }
            for (String any : pool) {
                assertThat(recent.contains(any)).as("step %d: %s", step, any).isEqualTo(alive(lastAdds, any) != null);
            }
        }
    }

    private static String[] alive(ArrayDeque<String[]> adds, String id) {
        return adds.stream().filter(add -> id.equals(add[0])).findFirst().orElse(null);
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(MessageIds.newId(Instant.ofEpochMilli(1_700_000_000_000L + i)));
        }
        return ids;
    }
}
