package io.chatstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConversationKeyTest {

    /** docs/api.md: {@code chat.conversations} is keyed {@code <bot>:<sessionId>}. */
    @Test
    void isTheBotAColonAndTheSession() {
        assertThat(new ConversationKey("support", "s-1")).hasToString("support:s-1");
    }
}
