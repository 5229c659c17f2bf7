package io.chatstream.simulator.contract;

/**
 * A bot's options as a vendor's own {@code @ConfigMapping} reads them: the contract test builds the
 * mapping from the options with the real config machinery, which a fixture (main code) cannot.
 */
public interface BotOptions {

    /** The vendor's mapping ({@code OpenAiConfig} …) holding these options for the bot {@code bot}. */
    <M> M mapping(Class<M> type);
}
