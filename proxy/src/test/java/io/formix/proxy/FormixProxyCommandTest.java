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
        return run((d, self, max, durable, state) -> {
            Transport t = net.open(self);
            opened.add(t);
            return t;
        }, args);
    }

    private String[] args(int pid, int base, String... extra) {
        List<String> a = new ArrayList<>(List.of("--pid", "" + pid, "--parties", "3", "--data-dir", dir.toString(),
                "--base-port", "" + base, "--sequre-base-port", "" + base));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private List<String> errLines() {
        return err.toString().lines().toList();
    }

    @Test
    void helpDocumentsOptionsAndExitCodes() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String s : List.of("--pid", "--parties", "--data-dir", "--base-port", "--sequre-base-port", "--framing",
                "length-prefixed", "raw", "--allow-uid", "--probation-ms", "-v", "Exit codes", "a port is in use",
                "stopped by SIGTERM")) {
            assertTrue(help.contains(s), "help lacks " + s + ":\n" + help);
        }
    }

    @Test
    void missingOptionsAreAOneLineUsageError() {
        assertEquals(2, run("--pid", "0"));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("--parties"), err.toString());
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
        int code = run((d, self, max, durable, state) -> {
            throw new ChannelLockedException("lock held by pid 4242");
        }, args(1, 8000));
        assertEquals(FormixProxyCommand.EXIT_LOCKED, code);
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().contains("party 1 is already open"), err.toString());
    }

    @Test
    void theOpenerGetsThePidAsPartyIdAndTheOptions() {
        List<Object> seen = new ArrayList<>();
        run((d, self, max, durable, state) -> {
            seen.addAll(List.of(d, self, max, durable));
            throw new java.io.IOException("stop here");
        }, args(2, 8000, "--max-message-bytes", "1000", "--chunk-bytes", "500", "--no-fsync"));
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
            public Transport open(Path d, PartyId self, int max, boolean durable, Path state,
                    io.formix.transport.file.ChannelLayout layout) throws java.io.IOException {
                seen.add(layout);
                throw new java.io.IOException("stop here");
            }
        };
        run(opener, args(1, 8000, "--layout", "syftbox", "--datasites", dir.resolve("ds").toString(), "--email",
                "b@x.org", "--party-emails", "a@x.org,b@x.org,c@x.org"));
        io.formix.transport.file.ChannelLayout l = (io.formix.transport.file.ChannelLayout) seen.get(0);
        assertTrue(l.isSyftbox());
        assertEquals(dir.resolve("ds"), l.datasites());
        assertEquals("b@x.org", l.selfEmail());
        assertEquals(java.util.Map.of(PartyId.ofPid(0), "a@x.org", PartyId.ofPid(1), "b@x.org", PartyId.ofPid(2),
                "c@x.org"), l.partyEmails());
    }

    @Test
    void syftboxOptionsAreCheckedWithOneLineUsageErrors() {
        String ds = dir.resolve("ds").toString();
        List<List<String>> bad = List.of(
                List.of("--layout", "syftbox", "--datasites", ds, "--email", "b@x.org"),
                List.of("--layout", "syftbox", "--datasites", ds, "--email", "b@x.org", "--party-emails", "a@x.org,b@x.org"),
                List.of("--layout", "syftbox", "--datasites", ds, "--email", "a@x.org", "--party-emails",
                        "a@x.org,b@x.org,c@x.org"),
                List.of("--layout", "syftbox", "--datasites", ds, "--email", "../b@x.org", "--party-emails",
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
