package io.chatstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    @Test
    void concurrentClaimsOfOneKeyAllGetTheFirstMessage() throws Exception {
        String session = "s-" + UUID.randomUUID();
        long generation;
        try (Connection connection = TestDatabase.connect()) {
            generation = Sessions.claim(connection, session, "k-a").generation();
        }
        String scope = "scope-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<IdempotencyKeys.KeyedMessage>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            IdempotencyKeys.KeyedMessage mine = new IdempotencyKeys.KeyedMessage(
                    "m-" + i, "hash", Instant.now().truncatedTo(ChronoUnit.MILLIS));
            results.add(pool.submit(() -> {
                try (Connection connection = TestDatabase.connect()) {
                    go.await();
                    return IdempotencyKeys.claim(connection, scope, generation, mine);
                }
            }));
        }
        go.countDown();
        List<IdempotencyKeys.KeyedMessage> winners = new ArrayList<>();
        for (Future<IdempotencyKeys.KeyedMessage> result : results) {
            winners.add(result.get());
        }
        pool.shutdown();
        assertThat(winners).allMatch(winner -> winner.equals(winners.get(0)));
    }
}
