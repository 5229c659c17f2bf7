package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.parser.Packet;
import io.socket.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictDecoderTest {

    private final List<String> malformed = new ArrayList<>();
    private final List<Packet<?>> decoded = new ArrayList<>();
    private final StrictDecoder decoder = new StrictDecoder(malformed::add);

    StrictDecoderTest() {
        decoder.onDecoded(decoded::add);
    }

    @Test
    void decodesEvents() {
        decoder.add("2[\"message\",{\"event\":\"chatbot.responseGenerated\",\"data\":\"naïve 🚀\"}]");
        assertThat(malformed).isEmpty();
        assertThat(decoded).hasSize(1);
        assertThat(decoded.get(0).type).isEqualTo(Parser.EVENT);
        JSONArray args = (JSONArray) decoded.get(0).data;
        assertThat(args.optString(0)).isEqualTo("message");
        assertThat(args.optJSONObject(1).optString("data")).isEqualTo("naïve 🚀");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2[\"message\",{\"event\":\"chatbot.responseGenerated\",\"data\":",
                "2{\"not\":\"an array\"}",
                "9[\"message\"]",
                "",
                "0[1,2]",
                "4[]"
            })
    void reportsWhatItCannotParse(String packet) {
        decoder.add(packet);
        assertThat(malformed).hasSize(1);
        assertThat(decoded).isEmpty();
    }

    @Test
    void keepsDecodingAfterAMalformedPacket() {
        decoder.add("2[\"message\",{");
        decoder.add("2[\"message\",{\"event\":\"x\"}]");
        assertThat(malformed).hasSize(1);
        assertThat(decoded).hasSize(1);
    }
}
