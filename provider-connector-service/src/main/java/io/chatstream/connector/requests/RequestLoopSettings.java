package io.chatstream.connector.requests;

import java.time.Duration;

/**
 * How a request loop takes requests and gives partitions away.
 *
 * @param maxQueued requests waiting for their turn above which reading pauses
 * @param handOffTimeout how long the streams of a partition moving away may finish here
 * @param drainTimeout the same at shutdown, for every partition
 */
record RequestLoopSettings(int maxQueued, Duration handOffTimeout, Duration drainTimeout) {}
