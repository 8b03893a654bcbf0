package io.appmanager.bench;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap and direct memory of a JVM target over JMX. A child JVM is reached with the JDK attach API
 * ({@code VirtualMachine.attach(pid).startLocalManagementAgent()}, module jdk.attach, resolved for
 * class-path code without a flag on JDK 17): it starts the target's local JMX agent and returns its
 * address, no port or option on the target needed. This JVM itself (the smoke test's in-process
 * AppManager) cannot attach to itself without {@code -Djdk.attach.allowAttachSelf}, and needs not:
 * its own platform MBean server is used.
 *
 * <p>Direct memory is the {@code java.nio:type=BufferPool,name=direct} pool: Netty allocates its
 * direct buffers with {@code ByteBuffer.allocateDirect} (counted there) unless it may call the
 * cleaner-less {@code DirectByteBuffer} constructor, which on JDK 17 needs
 * {@code -Dio.netty.tryReflectionSetAccessible=true} and {@code --add-opens java.base/java.nio};
 * neither target sets them.
 */
final class JvmMemory implements MemoryProbe {

    /**
     * Two collections: the first one's reference processing (cleaners of freed direct buffers, finalizable
     * objects) frees memory only the second one sees as free.
     */
    private static final int COLLECTIONS = 2;

    private final MBeanServerConnection server;
    private final JMXConnector connector;
    private final long pid;

    private JvmMemory(MBeanServerConnection server, JMXConnector connector, long pid) {
        this.server = server;
        this.connector = connector;
        this.pid = pid;
    }

    static JvmMemory of(long pid) throws Exception {
        if (pid == ProcessHandle.current().pid()) {
            return new JvmMemory(ManagementFactory.getPlatformMBeanServer(), null, pid);
        }
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            return new JvmMemory(connector.getMBeanServerConnection(), connector, pid);
        } finally {
            vm.detach();
        }
    }

    @Override
    public Footprint afterFullGc() throws IOException {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        for (int i = 0; i < COLLECTIONS; i++) {
            // System.gc() in the target: a full collection with G1 (no -XX:+ExplicitGCInvokesConcurrent on either target)
            memory.gc();
        }
        long direct = ManagementFactory.getPlatformMXBeans(server, BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return new Footprint(memory.getHeapMemoryUsage().getUsed(), memory.getHeapMemoryUsage().getCommitted(), direct,
                ProcStats.rssBytes(pid));
    }

    @Override
    public String note() {
        return "JVM: heap used after System.gc() (G1 full collection), NIO direct buffer pool, RSS";
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException e) {
                // the target is going away anyway
            }
        }
    }
}
