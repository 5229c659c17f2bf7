package io.chatstream.bench;

/** A process whose CPU and memory a run reports; {@code process} is null for the bench itself. */
record Service(String name, long pid, Process process) {

    static Service self() {
        return new Service("bench-clients", ProcessHandle.current().pid(), null);
    }

    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
