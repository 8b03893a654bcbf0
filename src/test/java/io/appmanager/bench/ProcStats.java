package io.appmanager.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from Linux's /proc (0 where it cannot be read). */
final class ProcStats {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux x86-64

    private ProcStats() {
    }

    /**
     * The fields of /proc/PID/stat after "pid (comm) ": the command name may hold spaces and parentheses,
     * so the split starts after its last ')'.
     */
    static String[] statFields(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** User plus system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) {
        try {
            String[] f = statFields(pid);
            // state is f[0], utime f[11], stime f[12]
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Resident set size in bytes. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    /** File descriptors the process holds now (each socket is one), or -1. */
    static long openFiles(long pid) {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The process's soft limit on open files ({@code ulimit -n} when it started), or -1. */
    static long openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (Exception e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
