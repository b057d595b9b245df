package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which compilers a spawned host gets, from the CLI's system properties. */
class HostJvmTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theDefaultIsTheDocumentedCompilerAndEveryChoiceKeepsTheSerialCollectorAndSmallStacks() {
        List<String> byDefault = HostJvm.options(props(), false);
        assertEquals(HostJvm.options(props(HostJvm.JIT_PROPERTY, HostJvm.DEFAULT_JIT), false), byDefault);
        for (List<String> o : List.of(
                byDefault,
                HostJvm.options(props(HostJvm.JIT_PROPERTY, "c1"), false),
                HostJvm.options(props(HostJvm.JIT_PROPERTY, "c2"), false),
                HostJvm.options(props(HostJvm.FAST_KERNELS_PROPERTY, "true"), false))) {
            assertTrue(o.contains("-XX:+UseSerialGC"), o.toString());
            assertTrue(o.contains("-Xss512k"), o.toString());
        }
    }

    @Test
    void c1StopsAtLevelOneC2DoesNotAndTheFastKernelsAddTheVectorModule() {
        assertTrue(HostJvm.options(props(HostJvm.JIT_PROPERTY, "c1"), false).contains("-XX:TieredStopAtLevel=1"));
        List<String> c2 = HostJvm.options(props(HostJvm.JIT_PROPERTY, "c2"), false);
        assertFalse(c2.stream().anyMatch(s -> s.startsWith("-XX:TieredStopAtLevel")), c2.toString());
        assertFalse(c2.stream().anyMatch(s -> s.contains("jdk.incubator.vector")), c2.toString());
        List<String> fast =
                HostJvm.options(props(HostJvm.FAST_KERNELS_PROPERTY, "true", HostJvm.JIT_PROPERTY, "c1"), false);
        assertTrue(fast.contains("--add-modules=jdk.incubator.vector"), fast.toString());
        assertFalse(fast.stream().anyMatch(s -> s.startsWith("-XX:TieredStopAtLevel")), fast.toString());
    }

    @Test
    void aHomeWhoseNetworkUpAskedForTheFastKernelsGetsThemWithoutTheProperty() {
        List<String> home = HostJvm.options(props(), true);
        assertTrue(home.contains("--add-modules=jdk.incubator.vector"), home.toString());
        assertFalse(home.stream().anyMatch(s -> s.startsWith("-XX:TieredStopAtLevel")), home.toString());
    }

    @Test
    void anUnknownCompilerIsRefusedInOneLineNamingTheProperty() {
        ServiceException e = assertThrows(
                ServiceException.class, () -> HostJvm.options(props(HostJvm.JIT_PROPERTY, "c3\u001b[2J"), false));
        assertTrue(e.getMessage().contains("formix.host.jit must be c1 or c2"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
