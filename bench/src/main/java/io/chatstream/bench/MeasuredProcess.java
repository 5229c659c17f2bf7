package io.chatstream.bench;

import io.chatstream.testkit.ChildProcess;

/** A process whose CPU and memory a run reports: one of the cluster's, or the bench's own clients. */
record MeasuredProcess(String name, long pid) {

    static MeasuredProcess of(ChildProcess process) {
        return new MeasuredProcess(process.name(), process.pid());
    }

    static MeasuredProcess self() {
        return new MeasuredProcess("bench-clients", ProcessHandle.current().pid());
    }
}
