package io.chatstream.connector.scheduling;

import io.chatstream.provider.BotConfig;
import java.util.HashMap;
import java.util.Map;

/** The streams of one bot running on this instance, in all and per tenant (API key). Used under the scheduler's lock. */
final class BotSlots {

    private int running;
    private final Map<String, Integer> perTenant = new HashMap<>();

    int running() {
        return running;
    }

    int running(String tenant) {
        return perTenant.getOrDefault(tenant, 0);
    }

    /** Whether one more stream of {@code tenant} fits the bot's limits. */
    boolean fits(String tenant, BotConfig bot) {
        return running < bot.maxConcurrency()
                && bot.maxConcurrencyPerTenant()
                        .map(limit -> running(tenant) < limit)
                        .orElse(true);
    }

    boolean tryTake(String tenant, BotConfig bot) {
        if (!fits(tenant, bot)) {
            return false;
        }
        running++;
        perTenant.merge(tenant, 1, Integer::sum);
        return true;
    }

    void release(String tenant) {
        running--;
        perTenant.computeIfPresent(tenant, (k, n) -> n > 1 ? n - 1 : null);
    }
}
