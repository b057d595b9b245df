package io.formix.mpc;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * Whether this JVM has its optimising JIT compiler (C2), without which the Vector API is not compiled to
 * vector instructions. Read from HotSpot's VM options; on a JVM that does not expose them, assumes yes.
 */
final class JitCapabilities {

    private JitCapabilities() {}

    /** Null when C2 is available (or cannot be checked), else why not, e.g. {@code "-XX:TieredStopAtLevel=1"}. */
    static String whyNoOptimisingCompiler() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "-Xint";
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return null;
            }
            if (isTrue(hotspot.getVMOption("TieredCompilation"))) {
                int level = Integer.parseInt(
                        hotspot.getVMOption("TieredStopAtLevel").getValue());
                if (level < 4) {
                    return "-XX:TieredStopAtLevel=" + level;
                }
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return null; // not HotSpot, or options renamed: do not guess
        }
    }

    private static boolean isTrue(VMOption option) {
        return Boolean.parseBoolean(option.getValue());
    }
}
