package io.chatstream.contract.event;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Message ids are UUIDv7 (RFC 9562): unique without coordination, and they carry the time the
 * message was accepted, so the session-service can tell an id older than its replay window from
 * one whose events have not arrived yet.
 */
public final class MessageIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {}

    public static String newId(Instant acceptedAt) {
        long millis = acceptedAt.toEpochMilli();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** The acceptance time inside a UUIDv7 message id; empty for anything else. */
    public static Optional<Instant> acceptedAt(String messageId) {
        try {
            UUID uuid = UUID.fromString(messageId);
            if (uuid.version() != 7) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
