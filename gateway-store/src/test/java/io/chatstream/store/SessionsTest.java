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
    void concurrentClaimsOfOneIdHaveOneWinnerThatEveryClaimerSees() throws Exception {
        String session = "s-" + UUID.randomUUID();
        int claimers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Sessions.Owner>> results = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            String owner = "k-" + i;
            Callable<Sessions.Owner> claim = () -> {
                try (Connection connection = TestDatabase.connect()) {
                    go.await();
                    return Sessions.claim(connection, session, owner);
                }
            };
            results.add(pool.submit(claim));
        }
        go.countDown();
        List<Sessions.Owner> owners = new ArrayList<>();
        for (Future<Sessions.Owner> result : results) {
            owners.add(result.get());
        }
        pool.shutdown();

        assertThat(owners).hasSize(claimers).allMatch(owner -> owner.equals(owners.get(0)));
        try (Connection connection = TestDatabase.connect()) {
            assertThat(Sessions.find(connection, session)).contains(owners.get(0));
        }
    }

    @Test
    void onlyTheOwnerDeletesAndAClaimAfterADeleteIsANewGeneration() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            Sessions.Owner first = Sessions.claim(connection, session, "k-a");

            assertThat(Sessions.delete(connection, session, "k-b")).isEmpty();
            assertThat(Sessions.find(connection, session)).contains(first);
            assertThat(Sessions.delete(connection, session, "k-a")).contains(first.generation());
            assertThat(Sessions.find(connection, session)).isEmpty();

            Sessions.Owner second = Sessions.claim(connection, session, "k-b");
            assertThat(second.owner()).isEqualTo("k-b");
            assertThat(second.generation()).isGreaterThan(first.generation());
        }
    }
}
