package io.appmanager.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL of an AppManager process, found in Linux's /proc: its postmaster is the process
 * whose command line names the data directory the service was given ({@code appmanager.db.embedded.data-dir}),
 * and the backends are the postmaster's children. pg_ctl daemonises the postmaster, so it is not a child of
 * the service. Used to report the database's CPU next to the service's, since both share the machine.
 */
final class EmbeddedPostgresProcesses {

    private static final String DATA_DIR_PROPERTY = "-Dappmanager.db.embedded.data-dir=";

    private EmbeddedPostgresProcesses() {
    }

    /** CPU seconds used so far by the postmaster and its live children; empty when they cannot be found. */
    static Optional<Double> cpuSeconds(long servicePid) {
        Optional<Long> postmaster = dataDir(servicePid).flatMap(EmbeddedPostgresProcesses::postmasterOf);
        if (postmaster.isEmpty()) {
            return Optional.empty();
        }
        double total = ProcStats.cpuSeconds(postmaster.get());
        for (long child : childrenOf(postmaster.get())) {
            total += ProcStats.cpuSeconds(child);
        }
        return Optional.of(total);
    }

    private static Optional<String> dataDir(long pid) {
        for (String arg : commandLine(pid)) {
            if (arg.startsWith(DATA_DIR_PROPERTY)) {
                return Optional.of(arg.substring(DATA_DIR_PROPERTY.length()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> postmasterOf(String dataDir) {
        return processes().filter(pid -> {
            List<String> cmd = commandLine(pid);
            return !cmd.isEmpty() && cmd.get(0).endsWith("postgres") && cmd.contains(dataDir);
        }).findFirst();
    }

    private static List<Long> childrenOf(long parent) {
        return processes().filter(pid -> parentOf(pid) == parent).toList();
    }

    private static Stream<Long> processes() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static long parentOf(long pid) {
        try {
            // state, then ppid
            return Long.parseLong(ProcStats.statFields(pid)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            List<String> args = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, from, i - from, StandardCharsets.UTF_8));
                    from = i + 1;
                }
            }
            return args;
        } catch (IOException e) {
            return List.of();
        }
    }
}
