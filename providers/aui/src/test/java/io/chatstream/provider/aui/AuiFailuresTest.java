package io.chatstream.provider.aui;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.ErrorCode;
import org.junit.jupiter.api.Test;

class AuiFailuresTest {

    @Test
    void payloadStatusDecides() {
        assertThat(AuiFailures.ofPayload(new AuiEvent.Error(401, "x")).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(AuiFailures.ofPayload(new AuiEvent.Error(403, "x")).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(AuiFailures.ofPayload(new AuiEvent.Error(429, "x")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(AuiFailures.ofPayload(new AuiEvent.Error(400, "x")).code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
        assertThat(AuiFailures.ofPayload(new AuiEvent.Error(422, "x")).code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
        assertThat(AuiFailures.ofPayload(new AuiEvent.Error(500, "x")).code())
                .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    }

    @Test
    void closeCodesWithoutAPayload() {
        assertThat(AuiFailures.ofClose((short) 1011, "", true).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(AuiFailures.ofClose((short) 1008, "", false).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(AuiFailures.ofClose((short) 1008, "moderation", true).code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
        assertThat(AuiFailures.ofClose((short) 1000, null, true).code()).isEqualTo(ErrorCode.INCOMPLETE);
        assertThat(AuiFailures.ofClose((short) 1001, null, true).code()).isEqualTo(ErrorCode.INCOMPLETE);
        assertThat(AuiFailures.ofClose(null, null, true).code()).isEqualTo(ErrorCode.INCOMPLETE);
        assertThat(AuiFailures.ofClose((short) 1006, null, false).code()).isEqualTo(ErrorCode.INCOMPLETE);
    }
}
