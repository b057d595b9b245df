package io.formix.service;

import io.formix.service.ServiceException.Kind;
import io.formix.state.FormixHome;
import io.formix.state.StateErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which JIT a home's node hosts run with. By default {@code -XX:TieredStopAtLevel=1} (C1 only: a
 * quick start, best for scalar answers); with the fast kernels {@code --add-modules=jdk.incubator.vector}
 * (C2 and the SIMD kernel: the JDK's AES intrinsics, for vector answers — docs/BENCHMARKS.md, "Node
 * hosts and the fast kernels"). The choice is the home's setting ({@code formix network up
 * --fast-kernels}, kept in {@code hosts/fast-kernels} so a later {@code node start} keeps it) or the
 * CLI property {@value #PROPERTY}{@code =true} for one command.
 */
final class HostJit {

    /** {@code -Dformix.host.fastKernels=true} on the CLI's JVM: spawn hosts with C2 and the SIMD kernels. */
    static final String PROPERTY = HostJvm.FAST_KERNELS_PROPERTY;

    static final String FAST = "--add-modules=jdk.incubator.vector";
    static final String QUICK = "-XX:TieredStopAtLevel=1";

    private static final String FILE = "fast-kernels";
    private static final String ON = "on\n";

    private HostJit() {}

    /** The JIT flag a host of {@code home} starts with. */
    static String flag(FormixHome home) {
        return Boolean.getBoolean(PROPERTY) || stored(home) ? FAST : QUICK;
    }

    /** Whether the home's setting asks for the fast kernels (a missing, foreign or linked file does not). */
    static boolean stored(FormixHome home) {
        Path f = file(home);
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() > 64) {
                return false;
            }
            return ON.equals(new String(Files.readAllBytes(f), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    /** Records the home's setting: hosts started from now on use the fast kernels, or not. */
    static void store(FormixHome home, boolean fast) {
        Path f = file(home);
        try {
            if (!fast) {
                Files.deleteIfExists(f);
                return;
            }
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.writeString(
                    tmp, ON, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ServiceException(Kind.ERROR, "cannot write " + f + ": " + StateErrors.describe(e));
        }
    }

    private static Path file(FormixHome home) {
        return home.hostsDir().resolve(FILE);
    }
}
