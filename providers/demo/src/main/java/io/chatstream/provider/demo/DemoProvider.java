package io.chatstream.provider.demo;

import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The built-in bot: no network, a deterministic answer derived from the input, paced like a real
 * vendor. Options: {@code tokens} (default 24), {@code pace} (default 30ms). Usage is counted by
 * the gateway itself (words), so its source is {@link Usage#SOURCE_GATEWAY}.
 */
@ApplicationScoped
@Identifier("demo")
public class DemoProvider implements ChatProvider {

    static final int DEFAULT_TOKENS = 24;
    static final Duration DEFAULT_PACE = Duration.ofMillis(30);

    private final DemoConfig options;

    public DemoProvider(DemoConfig options) {
        this.options = options;
    }

    @Override
    public Multi<ProviderChunk> stream(ProviderCall call) {
        Optional<DemoConfig.Bot> bot = Optional.ofNullable(options.bots().get(call.bot()));
        int count = Math.max(1, bot.map(b -> b.tokens().orElse(DEFAULT_TOKENS)).orElse(DEFAULT_TOKENS));
        Duration pace = bot.flatMap(DemoConfig.Bot::pace).orElse(DEFAULT_PACE);
        List<String> tokens = DemoAnswer.tokens(call.text(), count);
        int input = DemoAnswer.countWords(call.text());
        Usage usage = new Usage(Usage.SOURCE_GATEWAY, input, count, input + count);
        Multi<ProviderChunk> deltas;
        if (pace.isZero() || pace.isNegative()) {
            deltas = Multi.createFrom().iterable(tokens).map(ProviderChunk.Delta::new);
        } else {
            // A tick per token: cancelling the subscription stops the ticks, nothing else to close.
            deltas = Multi.createFrom()
                    .ticks()
                    .every(pace)
                    .select()
                    .first(count)
                    .map(i -> new ProviderChunk.Delta(tokens.get(i.intValue())));
        }
        return Multi.createBy()
                .concatenating()
                .streams(deltas, Multi.createFrom().item(ProviderChunk.Completion.of(usage)));
    }
}
