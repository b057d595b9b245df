package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.FreePorts;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line, black-box through picocli's {@code execute}: help, usage errors, start-up failures. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FormixProxyCommandTest {

    @TempDir
    Path dir;

    private final InMemoryNetwork net = new InMemoryNetwork();
    private final List<Transport> opened = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(TransportOpener opener, String... args) {
        CommandLine cl = FormixProxyCommand.commandLine(new FormixProxyCommand(opener, false));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int run(String... args) {
        return run(
                (d, self, max, durable, state) -> {
                    Transport t = net.open(self);
                    opened.add(t);
                    return t;
                },
                args);
    }

    private String[] args(int pid, int base, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "--pid",
                "" + pid,
                "--parties",
                "3",
                "--data-dir",
                dir.toString(),
                "--base-port",
                "" + base,
                "--sequre-base-port",
                "" + base));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    private List<String> errLines() {
        return err.toString().lines().toList();
    }

    @Test
    void helpDocumentsOptionsAndExitCodes() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String s : List.of(
                "--pid",
                "--parties",
                "--data-dir",
                "--base-port",
                "--sequre-base-port",
                "--framing",
                "length-prefixed",
                "raw",
                "--allow-uid",
                "--probation-ms",
                "-v",
                "Exit codes",
                "a port is in use",
                "stopped by SIGTERM")) {
            assertTrue(help.contains(s), "help lacks " + s + ":\n" + help);
        }
    }

    @Test
    void missingOptionsAreAOneLineUsageError() {
        // --pid and --data-dir are the required ones; --parties and both base ports have defaults
        assertEquals(2, run("--pid", "0"));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("--data-dir"), err.toString());
        assertFalse(err.toString().contains("--parties"), err.toString());
        assertEquals(2, run("--data-dir", dir.toString()));
        assertTrue(errLines().get(1).contains("--pid"), err.toString());
    }

    /** Runs {@code args} with an opener that records nothing and stops the start: nothing is bound or dialled. */
    private int runUntilOpen(String... args) {
        return run(
                (d, self, max, durable, state) -> {
                    throw new java.io.IOException("stopped before opening");
                },
                args);
    }

    @Test
    void theShortFormTakesThreePartiesAndTheSequreDeploymentTable() {
        // the seed's table: CP0 base 8000 dials 8001, 8002; CP1 base 9000 listens 9001, dials 9003;
        // CP2 base 10000 listens 10002, 10003
        Path data = dir.resolve("sandbox");
        assertEquals(FormixProxyCommand.EXIT_DATA_DIR, runUntilOpen("--pid", "0", "--data-dir", data.toString()));
        assertEquals(
                List.of(
                        "formix-proxy: party 0 of 3 (--parties 3 by default), channels in " + data
                                + ", application at 127.0.0.1",
                        "  ports: --base-port 8000, --sequre-base-port 8000 (a base not given is 8000 + 1000*pid, the Sequre"
                                + " deployment table)",
                        "  link 0<->1: dials 127.0.0.1:8001 (party 0's application listens); sends to "
                                + data.resolve("0_to_1") + "/, receives from " + data.resolve("1_to_0") + "/",
                        "  link 0<->2: dials 127.0.0.1:8002 (party 0's application listens); sends to "
                                + data.resolve("0_to_2") + "/, receives from " + data.resolve("2_to_0") + "/"),
                outLines().subList(0, 4));
        assertEquals(4, outLines().size(), out.toString());
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(errLines().get(0).contains("stopped before opening"), err.toString());

        out.getBuffer().setLength(0);
        runUntilOpen("--pid", "1", "--data-dir", data.toString());
        assertTrue(outLines().get(1).startsWith("  ports: --base-port 9000, --sequre-base-port 9000 "), out.toString());
        assertTrue(
                outLines()
                        .get(2)
                        .startsWith("  link 1<->0: listens on 127.0.0.1:9001 (party 1's application"
                                + " connects); sends to " + data.resolve("1_to_0") + "/"),
                out.toString());
        assertTrue(outLines().get(3).startsWith("  link 1<->2: dials 127.0.0.1:9003 "), out.toString());

        out.getBuffer().setLength(0);
        runUntilOpen("--pid", "2", "--data-dir", data.toString());
        assertTrue(outLines().get(2).startsWith("  link 2<->0: listens on 127.0.0.1:10002 "), out.toString());
        assertTrue(outLines().get(3).startsWith("  link 2<->1: listens on 127.0.0.1:10003 "), out.toString());
    }

    @Test
    void everyDefaultCanBeOverriddenAndThePlanSaysNoDefault() {
        assertEquals(
                FormixProxyCommand.EXIT_DATA_DIR,
                runUntilOpen(
                        "--pid",
                        "1",
                        "--parties",
                        "4",
                        "--data-dir",
                        dir.toString(),
                        "--base-port",
                        "20000",
                        "--sequre-base-port",
                        "21000",
                        "--app-host",
                        "127.0.0.2"));
        assertEquals(
                List.of(
                        "formix-proxy: party 1 of 4, channels in " + dir + ", application at 127.0.0.2",
                        "  ports: --base-port 20000, --sequre-base-port 21000",
                        // offsets among 4 parties: (0,1) 1, (1,2) 4, (1,3) 5
                        "  link 1<->0: listens on 127.0.0.2:20001 (party 1's application connects); sends to "
                                + dir.resolve("1_to_0") + "/, receives from " + dir.resolve("0_to_1") + "/",
                        "  link 1<->2: dials 127.0.0.2:21004 (party 1's application listens); sends to "
                                + dir.resolve("1_to_2") + "/, receives from " + dir.resolve("2_to_1") + "/",
                        "  link 1<->3: dials 127.0.0.2:21005 (party 1's application listens); sends to "
                                + dir.resolve("1_to_3") + "/, receives from " + dir.resolve("3_to_1") + "/"),
                outLines().subList(0, 5));
        // one base given, the other defaulted: the plan says a default was used
        out.getBuffer().setLength(0);
        runUntilOpen("--pid", "2", "--data-dir", dir.toString(), "--base-port", "30000");
        assertEquals(
                "  ports: --base-port 30000, --sequre-base-port 10000 (a base not given is 8000 + 1000*pid,"
                        + " the Sequre deployment table)",
                outLines().get(1));
        assertTrue(outLines().get(2).contains("listens on 127.0.0.1:30002"), out.toString());
    }

    @Test
    void aDefaultPortBaseOutOfRangeIsAOneLineUsageErrorSayingItWasTheDefault() {
        assertEquals(2, run("--pid", "60", "--parties", "70", "--data-dir", dir.toString()));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("--base-port 68000 does not leave room"), err.toString());
        assertTrue(err.toString().contains("8000 + 1000*pid by default"), err.toString());
        assertEquals(2, run("--pid", "3", "--data-dir", dir.toString()));
        assertTrue(errLines().get(1).contains("--pid must be in [0, 3)"), err.toString());
    }

    @Test
    void theShortFormInARealProcessPrintsThePlanAndExitsWithTheDocumentedCode() throws Exception {
        // the data folder is a regular file, so the process stops after the plan, before any port is bound
        // or dialled (the seed's ports may be in use by others on this machine)
        Path notAFolder = java.nio.file.Files.writeString(dir.resolve("not-a-folder"), "x");
        Path log = dir.resolve("proxy.log");
        try (ProxyProcess p = ProxyProcess.start(log, List.of("--pid", "1", "--data-dir", notAFolder.toString()))) {
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS), "the proxy did not exit");
            assertEquals(FormixProxyCommand.EXIT_DATA_DIR, p.process.exitValue(), p.output());
            String out = p.output();
            assertTrue(out.contains("formix-proxy: party 1 of 3 (--parties 3 by default)"), out);
            assertTrue(out.contains("  link 1<->0: listens on 127.0.0.1:9001 "), out);
            assertTrue(out.contains("  link 1<->2: dials 127.0.0.1:9003 "), out);
            assertTrue(out.contains("formix-proxy: cannot create the data folder"), out);
        }
    }

    @Test
    void unknownFramingIsAOneLineUsageError() {
        assertEquals(2, run(args(0, 8000, "--framing", "json")));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("unknown framing 'json'"), err.toString());
    }

    @Test
    void aUidThatIsNotOneOrANegativeProbationIsAOneLineUsageError() {
        assertEquals(2, run(args(0, 8000, "--allow-uid", "1000,-1")));
        assertTrue(err.toString().contains("--allow-uid -1 is not a user id"), err.toString());
        assertEquals(2, run(args(0, 8000, "--allow-uid", "alice")));
        assertEquals(2, run(args(0, 8000, "--probation-ms", "-5")));
        assertTrue(err.toString().contains("--probation-ms must be >= 0"), err.toString());
        assertEquals(3, errLines().size(), err.toString());
    }

    @Test
    void pidOutOfRangeIsAOneLineUsageError() {
        assertEquals(2, run(args(3, 8000)));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("--pid must be in [0, 3)"), err.toString());
    }

    @Test
    void aPortInUseIsAOneLineErrorNamingThePortAndReleasesTheChannels() throws Exception {
        int base = FreePorts.base(3);
        // Party 2 listens on base+2 and base+3; hold base+3.
        try (ServerSocket held = FreePorts.listen(base + 3)) {
            assertEquals(FormixProxyCommand.EXIT_PORT_IN_USE, run(args(2, base)));
        }
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("port " + (base + 3) + " is in use"), err.toString());
        assertFalse(err.toString().contains("Exception"), "no stack trace without -v: " + err);
        assertThrows(TransportClosedException.class, () -> opened.get(0).send(PartyId.ofPid(0), new byte[1]));
        // base+2 was bound first and must have been released too.
        FreePorts.listen(base + 2).close();
    }

    @Test
    void verbosePrintsTheStackTrace() throws Exception {
        int base = FreePorts.base(3);
        try (ServerSocket held = FreePorts.listen(base + 2)) {
            assertEquals(FormixProxyCommand.EXIT_PORT_IN_USE, run(args(2, base, "-v")));
        }
        assertTrue(err.toString().contains("PortInUseException"), err.toString());
    }

    @Test
    void aSecondProxyForTheSamePartyIsRefused() {
        int code = run(
                (d, self, max, durable, state) -> {
                    throw new ChannelLockedException("lock held by pid 4242");
                },
                args(1, 8000));
        assertEquals(FormixProxyCommand.EXIT_LOCKED, code);
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("party 1 is already open"), err.toString());
    }

    @Test
    void theOpenerGetsThePidAsPartyIdAndTheOptions() {
        List<Object> seen = new ArrayList<>();
        run(
                (d, self, max, durable, state) -> {
                    seen.addAll(List.of(d, self, max, durable));
                    throw new java.io.IOException("stop here");
                },
                args(2, 8000, "--max-message-bytes", "1000", "--chunk-bytes", "500", "--no-fsync"));
        assertEquals(List.of(dir, PartyId.of("2"), 1000, false), seen);
        assertTrue(err.toString().contains("stop here"), err.toString());
    }

    @Test
    void theSyftboxLayoutReachesTheOpenerWithThePartyTable() {
        List<Object> seen = new ArrayList<>();
        TransportOpener opener = new TransportOpener() {
            @Override
            public Transport open(Path d, PartyId self, int max, boolean durable, Path state) {
                throw new AssertionError("the layout-aware open is used");
            }

            @Override
            public Transport open(
                    Path d,
                    PartyId self,
                    int max,
                    boolean durable,
                    Path state,
                    io.formix.transport.file.ChannelLayout layout)
                    throws java.io.IOException {
                seen.add(layout);
                throw new java.io.IOException("stop here");
            }
        };
        run(
                opener,
                args(
                        1,
                        8000,
                        "--layout",
                        "syftbox",
                        "--datasites",
                        dir.resolve("ds").toString(),
                        "--email",
                        "b@x.org",
                        "--party-emails",
                        "a@x.org,b@x.org,c@x.org"));
        io.formix.transport.file.ChannelLayout l = (io.formix.transport.file.ChannelLayout) seen.get(0);
        assertTrue(l.isSyftbox());
        assertEquals(dir.resolve("ds"), l.datasites());
        assertEquals("b@x.org", l.selfEmail());
        assertEquals(
                java.util.Map.of(PartyId.ofPid(0), "a@x.org", PartyId.ofPid(1), "b@x.org", PartyId.ofPid(2), "c@x.org"),
                l.partyEmails());
    }

    @Test
    void syftboxOptionsAreCheckedWithOneLineUsageErrors() {
        String ds = dir.resolve("ds").toString();
        List<List<String>> bad = List.of(
                List.of("--layout", "syftbox", "--datasites", ds, "--email", "b@x.org"),
                List.of(
                        "--layout",
                        "syftbox",
                        "--datasites",
                        ds,
                        "--email",
                        "b@x.org",
                        "--party-emails",
                        "a@x.org,b@x.org"),
                List.of(
                        "--layout",
                        "syftbox",
                        "--datasites",
                        ds,
                        "--email",
                        "a@x.org",
                        "--party-emails",
                        "a@x.org,b@x.org,c@x.org"),
                List.of(
                        "--layout",
                        "syftbox",
                        "--datasites",
                        ds,
                        "--email",
                        "../b@x.org",
                        "--party-emails",
                        "a@x.org,../b@x.org,c@x.org"),
                List.of("--layout", "other"),
                List.of("--email", "b@x.org"));
        for (List<String> extra : bad) {
            err.getBuffer().setLength(0);
            assertEquals(2, run(args(1, 8000, extra.toArray(String[]::new))), extra.toString());
            assertEquals(1, errLines().size(), extra + ": " + err);
        }
        assertTrue(opened.isEmpty(), "nothing was opened");
    }
}
