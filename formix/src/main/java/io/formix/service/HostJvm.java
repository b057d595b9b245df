package io.formix.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The JVM options of a node host that {@link HostProcesses} spawns, chosen by system properties of
 * the CLI's JVM and the home's setting: {@value #FAST_KERNELS_PROPERTY}{@code =true}, or a home whose
 * {@code network up --fast-kernels} is on ({@link HostJit}), gives C2 and the SIMD kernels (the
 * Vector API module); otherwise {@value #JIT_PROPERTY} chooses the compiler, {@code c1} (C1 only,
 * {@code -XX:TieredStopAtLevel=1}, the default) or {@code c2} (the JVM's default tiered compilers).
 * docs/BENCHMARKS.md, "Node hosts and the fast kernels", has the measurements behind the default.
 */
final class HostJvm {

    /** {@code -Dformix.host.fastKernels=true} on the CLI's JVM: spawn hosts with C2 and the SIMD kernels. */
    static final String FAST_KERNELS_PROPERTY = "formix.host.fastKernels";
    /** {@code -Dformix.host.jit=c1|c2} on the CLI's JVM: the hosts' compilers, unless fast kernels are asked for. */
    static final String JIT_PROPERTY = "formix.host.jit";

    static final String DEFAULT_JIT = "c1";

    private HostJvm() {}

    /**
     * The options for the JVM of a host, from {@code props} (the CLI's system properties) and
     * {@code homeFastKernels} (the home's {@code network up --fast-kernels} setting).
     */
    static List<String> options(Properties props, boolean homeFastKernels) {
        List<String> out = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        if (homeFastKernels || Boolean.parseBoolean(props.getProperty(FAST_KERNELS_PROPERTY))) {
            out.add("--add-modules=jdk.incubator.vector");
        } else {
            String jit = props.getProperty(JIT_PROPERTY, DEFAULT_JIT);
            switch (jit) {
                case "c1" -> out.add("-XX:TieredStopAtLevel=1");
                case "c2" -> {}
                default ->
                    throw new ServiceException(
                            ServiceException.Kind.ERROR,
                            "-D" + JIT_PROPERTY + " must be c1 or c2, not '" + TerminalText.safe(jit) + "'");
            }
        }
        out.add("-Xss512k");
        return out;
    }
}
