package io.chatstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.testkit.ServiceProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code n} idle subscribers on one session-service, the clients in separate processes (at most
 * 5,000 connections each, well under the 20,000 descriptors one process may hold): the service's
 * resident memory before and after (each after a full GC), per connection, and its CPU while they
 * idle.
 */
final class IdleScenario {

    private static final int PER_PROCESS = 5_000;

    private IdleScenario() {}

    static ObjectNode run(BenchGateway cluster, int n, String runId) throws Exception {
        ServiceProcess session = cluster.session();
        gc(session);
        long before = ProcStats.rssBytes(session.pid());
        List<Process> children = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0, from = 0; from < n; i++, from += PER_PROCESS) {
            int count = Math.min(PER_PROCESS, n - from);
            children.add(new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            IdleSubscribersMain.class.getName(),
                            String.valueOf(cluster.sessionPort()),
                            String.valueOf(count),
                            runId + "-idle" + i)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
        }
        int open = 0;
        int failed = 0;
        for (Process child : children) {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line != null && line.startsWith("OPEN ")) {
                String[] f = line.split(" ");
                open += Integer.parseInt(f[1]);
                failed += Integer.parseInt(f[3]);
            }
        }
        Thread.sleep(3_000);
        gc(session);
        double cpu0 = ProcStats.cpuSeconds(session.pid());
        Thread.sleep(10_000);
        double idleCpu = (ProcStats.cpuSeconds(session.pid()) - cpu0) / 10.0;
        long after = ProcStats.rssBytes(session.pid());
        for (Process child : children) {
            child.getOutputStream().close();
        }
        for (Process child : children) {
            child.waitFor();
        }
        ObjectNode o = BenchMain.JSON.createObjectNode();
        o.put("subscribers", n)
                .put("clientProcesses", children.size())
                .put("open", open)
                .put("failed", failed)
                .put("sessionRssBeforeMiB", before / (1024 * 1024))
                .put("sessionRssAfterMiB", after / (1024 * 1024))
                .put("sessionPeakMiB", ProcStats.peakBytes(session.pid()) / (1024 * 1024))
                .put("kibPerConnection", open == 0 ? 0 : Report.round((after - before) / 1024.0 / open))
                .put("sessionCoresWhileIdle", Report.round(idleCpu));
        return o;
    }

    /** A full GC in the service (jcmd), so that resident memory shows what is live, not garbage. */
    private static void gc(ServiceProcess s) throws InterruptedException {
        s.fullGc();
        Thread.sleep(1_000);
    }
}
