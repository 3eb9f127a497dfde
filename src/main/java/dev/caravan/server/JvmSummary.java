package dev.caravan.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** One line on the JVM a server runs in: what sizes its memory and its start (see CaravanLauncher). */
final class JvmSummary {
    private JvmSummary() {
    }

    static String describe() {
        String collectors = String.join("/", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
        return "Java " + Runtime.version() + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, collectors " + collectors
                + ", class-data sharing archive " + vmOption("SharedArchiveFile") + (vmOption("ArchiveClassesAtExit").isEmpty() ? ""
                : " (writing one at exit: " + vmOption("ArchiveClassesAtExit") + ")");
    }

    private static String vmOption(String name) {
        try {
            String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
            return value == null ? "" : value;
        } catch (RuntimeException notHotSpot) {
            return "";
        }
    }
}
