package io.chatstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SessionsTest {

    @Test
    void concurrentUsesOfOneIdByOneKeyMakeOneSessionThatEveryCallerSees() throws Exception {
        String session = "s-" + UUID.randomUUID();
        int callers = 8;
        List<Sessions.Session> sessions = claimAtOnce(session, i -> "k-a", callers);

        assertThat(sessions).hasSize(callers).allMatch(s -> s.equals(sessions.get(0)));
        try (Connection connection = TestDatabase.connect()) {
            assertThat(Sessions.find(connection, session, "k-a")).contains(sessions.get(0));
        }
    }

    @Test
    void oneIdUnderSeveralKeysIsOneSessionPerKeyEachWithItsOwnStream() throws Exception {
        String session = "s-" + UUID.randomUUID();
        int keys = 8;
        List<Sessions.Session> sessions = claimAtOnce(session, i -> "k-" + i, keys);

        assertThat(sessions).extracting(Sessions.Session::generation).doesNotHaveDuplicates();
        assertThat(sessions)
                .extracting(Sessions.Session::streamKey)
                .doesNotHaveDuplicates()
                .doesNotContain(session);
        try (Connection connection = TestDatabase.connect()) {
            for (int i = 0; i < keys; i++) {
                assertThat(Sessions.find(connection, session, "k-" + i)).contains(sessions.get(i));
            }
        }
    }

    @Test
    void aKeyDeletesOnlyItsOwnSessionAndUsingTheIdAgainStartsANewOne() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            Sessions.Session first = Sessions.claim(connection, session, "k-a");
            Sessions.Session others = Sessions.claim(connection, session, "k-b");

            assertThat(Sessions.delete(connection, session, "k-c")).isEmpty();
            assertThat(Sessions.delete(connection, session, "k-a")).contains(first);
            assertThat(Sessions.find(connection, session, "k-a")).isEmpty();
            assertThat(Sessions.find(connection, session, "k-b")).contains(others);

            Sessions.Session second = Sessions.claim(connection, session, "k-a");
            assertThat(second.generation()).isGreaterThan(first.generation());
            assertThat(second.streamKey()).isNotEqualTo(first.streamKey());
        }
    }

    private static List<Sessions.Session> claimAtOnce(
            String session, java.util.function.IntFunction<String> ownerOf, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Sessions.Session>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String owner = ownerOf.apply(i);
            Callable<Sessions.Session> claim = () -> {
                try (Connection connection = TestDatabase.connect()) {
                    go.await();
                    return Sessions.claim(connection, session, owner);
                }
            };
            results.add(pool.submit(claim));
        }
        go.countDown();
        List<Sessions.Session> sessions = new ArrayList<>();
        for (Future<Sessions.Session> result : results) {
            sessions.add(result.get());
        }
        pool.shutdown();
        return sessions;
    }
}
