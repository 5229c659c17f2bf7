package io.chatstream.provider.openai;

import io.chatstream.provider.transport.VendorEndpoint;

/** Where the completions call goes: {@code {url}/chat/completions}, {@code /v1} added to a bare host. */
record OpenAiEndpoint(String host, int port, boolean ssl, String path) {

    static OpenAiEndpoint of(String url) {
        VendorEndpoint base = VendorEndpoint.of(url);
        String path = base.path().isEmpty() ? "/v1" : base.path();
        return new OpenAiEndpoint(base.host(), base.port(), base.ssl(), path + "/chat/completions");
    }

    VendorEndpoint base() {
        return new VendorEndpoint(host, port, ssl, path);
    }
}
