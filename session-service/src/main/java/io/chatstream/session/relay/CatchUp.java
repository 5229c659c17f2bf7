package io.chatstream.session.relay;

/**
 * A subscriber that needs events memory no longer holds: read {@code partition} from
 * {@code fromOffset} on, keep the session's records, and hand them to {@code replay} until it
 * says the watch is live.
 *
 * @param validate a client's cursor to check first (its record must exist and be the session's),
 *     or null when the start came from this replica's own tracking
 */
record CatchUp(SessionReplay replay, String streamKey, Watch watch, int partition, long fromOffset, Cursor validate) {}
