package io.appmanager.bench;

import io.appmanager.it.PackagedService;

import java.io.File;
import java.util.List;

/** {@link RawVertxBroadcastServer} in a child JVM with this JVM's class path and the same heap as AppManager. */
public final class RawVertxTarget extends ChildProcessTarget {

    private RawVertxTarget(Process process, int port) {
        super("raw-vertx", process, port);
    }

    public static RawVertxTarget start() throws Exception {
        int port = PackagedService.freePort();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(AppManagerTarget.jvmOptions());
        // the log manager property as the bench JVM has it: the JMX agent scenario 2 starts in this JVM logs
        // through java.util.logging, and the JBoss log manager on the class path complains without it
        command.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                System.getProperty("java.class.path"), RawVertxBroadcastServer.class.getName(), Integer.toString(port)));
        Process p = ListeningProcess.start("raw-vertx", new ProcessBuilder(command));
        return new RawVertxTarget(p, port);
    }

    /** It answers every IDENTIFY with a fresh READY and keeps nothing for a dropped socket. */
    @Override
    public boolean resumes() {
        return false;
    }
}
