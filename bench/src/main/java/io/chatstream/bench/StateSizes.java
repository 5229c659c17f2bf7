package io.chatstream.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

/**
 * Where the state is on disk at the end of a run: each table and index of the database
 * ({@code pg_total_relation_size} and its parts, and the rows), and each Kafka topic's log
 * (the broker's {@code describeLogDirs}: the segments' bytes, before any compaction runs).
 */
final class StateSizes {

    /** One table: its rows, the heap (main fork), its TOAST, its indexes by name, all in bytes. */
    record Table(String name, long rows, long heap, long toast, long total, Map<String, Long> indexes) {
        String line() {
            return String.format(
                    "%-18s %,9d rows: total %,12d B (heap %,d, toast %,d, indexes %s); %,.0f B/row",
                    name, rows, total, heap, toast, indexes, rows == 0 ? 0.0 : (double) total / rows);
        }
    }

    private StateSizes() {}

    static List<Table> database(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        List<Table> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, props);
                Statement s = c.createStatement()) {
            // Up-to-date visibility and statistics, as a table that autovacuum has caught up with.
            s.execute("vacuum analyze");
            List<String> names = new ArrayList<>();
            try (ResultSet r =
                    s.executeQuery("select tablename from pg_tables where schemaname = 'public' order by tablename")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            for (String name : names) {
                long rows;
                try (ResultSet r = s.executeQuery("select count(*) from \"" + name + "\"")) {
                    r.next();
                    rows = r.getLong(1);
                }
                long heap;
                long toast;
                long total;
                try (ResultSet r = s.executeQuery(
                        "select pg_relation_size(c.oid), coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0),"
                                + " pg_total_relation_size(c.oid) from pg_class c where c.relname = '" + name
                                + "' and c.relkind = 'r'")) {
                    r.next();
                    heap = r.getLong(1);
                    toast = r.getLong(2);
                    total = r.getLong(3);
                }
                Map<String, Long> indexes = new TreeMap<>();
                try (ResultSet r =
                        s.executeQuery("select indexrelname, pg_relation_size(indexrelid) from pg_stat_user_indexes"
                                + " where relname = '" + name + "'")) {
                    while (r.next()) {
                        indexes.put(r.getString(1), r.getLong(2));
                    }
                }
                tables.add(new Table(name, rows, heap, toast, total, indexes));
            }
        }
        return tables;
    }

    /** Bytes of each topic's log on the broker (all partitions). */
    static Map<String, Long> topics(String bootstrapServers) throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<Integer> brokers =
                    admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            Map<Integer, Map<String, LogDirDescription>> dirs =
                    admin.describeLogDirs(brokers).allDescriptions().get();
            dirs.values().forEach(byDir -> byDir.values().forEach(dir -> dir.replicaInfos()
                    .forEach((partition, info) -> sizes.merge(partition.topic(), info.size(), Long::sum))));
        }
        return sizes;
    }
}
