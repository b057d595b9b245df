package io.formix.proxy;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code formix-proxy} command line. {@link #call()} runs the proxy until the JVM is asked to
 * stop (SIGTERM, Ctrl-C), then shuts it down gracefully (see {@link Proxy#shutdown()}).
 */
@Command(
        name = "formix-proxy",
        mixinStandardHelpOptions = true,
        version = "formix-proxy 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Bridges the TCP connections of an MPC engine (Sequre, MP-SPDZ, any TCP program) to Formix file "
                    + "channels, compatible with sbproxy.",
            "For each pair a<b the application at a listens and the one at b connects, on "
                    + "base + (a*N - a(a+1)/2) + (b - a). The proxy inverts each role: where its application "
                    + "listens it connects to --sequre-base-port + offset; where its application connects it "
                    + "listens on --base-port + offset.",
            "Outgoing frames go to <data-dir>/<pid>_to_<peer>/, incoming ones come from <data-dir>/<peer>_to_<pid>/.",
            "The short form 'formix-proxy --pid 0 --data-dir ./sandbox' takes 3 parties and the ports of the Sequre "
                    + "deployment table (both bases 8000 + 1000*pid); every option overrides its default. The plan "
                    + "(one line per link: the port it listens on or dials, the channel folders) is printed on "
                    + "stdout at start."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by SIGTERM or Ctrl-C (after a graceful shutdown)",
            "1:unexpected failure",
            "2:invalid command line",
            "3:a port is in use",
            "4:another process already runs this party on the data folder",
            "5:the data folder cannot be used"
        })
public final class FormixProxyCommand implements Callable<Integer> {

    static final int EXIT_PORT_IN_USE = 3;
    static final int EXIT_LOCKED = 4;
    static final int EXIT_DATA_DIR = 5;

    @Spec
    CommandSpec spec;

    /** Default of {@code --parties}: the Sequre deployment's three computing parties. */
    static final int DEFAULT_PARTIES = 3;

    @Option(names = "--pid", required = true, description = "This party's number, 0 <= pid < parties.")
    int pid;

    @Option(
            names = "--parties",
            paramLabel = "<parties>",
            description = "Number of parties (N); default " + DEFAULT_PARTIES + ".")
    Integer parties;

    @Option(names = "--data-dir", required = true, description = "The shared folder holding the channels.")
    Path dataDir;

    @Option(
            names = "--base-port",
            paramLabel = "<basePort>",
            description = "Base of the ports where the proxy listens for an application that connects; default "
                    + "8000 + 1000*pid (8000, 9000, 10000 for parties 0, 1, 2: the Sequre deployment table).")
    Integer basePort;

    @Option(
            names = "--sequre-base-port",
            paramLabel = "<sequreBasePort>",
            description = "Base of the ports where the application listens for the proxy; default 8000 + 1000*pid, "
                    + "like --base-port.")
    Integer sequreBasePort;

    @Option(
            names = "--framing",
            defaultValue = "length-prefixed",
            converter = FramingConverter.class,
            description = "length-prefixed (default, [8-byte LE length][payload] per frame = one .msg) or raw "
                    + "(any byte stream, chunked).")
    Framing framing;

    @Option(
            names = "--chunk-bytes",
            defaultValue = "1048576",
            description = "Raw mode: largest chunk per message (default ${DEFAULT-VALUE}).")
    int chunkBytes;

    @Option(
            names = "--max-message-bytes",
            defaultValue = "67108864",
            description = "Largest frame payload accepted or written (default ${DEFAULT-VALUE}, 64 MiB).")
    int maxMessageBytes;

    @Option(
            names = "--app-host",
            defaultValue = "127.0.0.1",
            description = "Address of the local application (default ${DEFAULT-VALUE}).")
    String appHost;

    @Option(
            names = "--no-fsync",
            description = "Do not fsync message files (faster; a machine crash may lose " + "the last messages).")
    boolean noFsync;

    @Option(
            names = "--state-dir",
            description = "Host-local state: the file transport's cursors, counters, "
                    + "quarantine and lock, and the message each link wrote last to the application until it is "
                    + "acknowledged (so a restart after a crash does not write it again). Keep it out of the sync: "
                    + "default <data-dir>/.formix-local/<pid>, which sync engines must ignore (docs/multihost.md).")
    Path stateDir;

    @Option(
            names = "--allow-uid",
            split = ",",
            paramLabel = "<uid>",
            description = "Also give links to sockets of this user (repeat or comma-separate); by default only "
                    + "sockets of the proxy's own user may connect to it or accept its connections.")
    List<Long> allowUids = new ArrayList<>();

    @Option(
            names = "--probation-ms",
            defaultValue = "2000",
            description = "How long a new connection may leave the first message written to it unread while "
                    + "another connection waits on the port, before the proxy closes it and serves the next "
                    + "(default ${DEFAULT-VALUE}).")
    long probationMs;

    @Option(
            names = "--shutdown-grace-ms",
            defaultValue = "5000",
            description = "On SIGTERM, how long a frame in hand may finish (default ${DEFAULT-VALUE}).")
    long shutdownGraceMs;

    @Option(
            names = "--stats-interval",
            defaultValue = "0",
            description = "Log message counts per channel every this many seconds (0 = never).")
    int statsInterval;

    @Option(
            names = {"-v", "--verbose"},
            description = "Debug logging, stack traces on errors.")
    boolean verbose;

    @Option(
            names = "--layout",
            defaultValue = "default",
            paramLabel = "default|syftbox",
            description = "Channel layout: default (all channels under --data-dir, sbproxy's) or syftbox "
                    + "(channels in the parties' SyftBox datasites, docs/syftbox.md).")
    String layout;

    @Option(
            names = "--datasites",
            paramLabel = "<dir>",
            description = "With --layout syftbox: the SyftBox workspace's datasites folder (e.g. ~/SyftBox/datasites).")
    Path datasites;

    @Option(names = "--email", description = "With --layout syftbox: this party's datasite (its SyftBox email).")
    String email;

    @Option(
            names = "--party-emails",
            split = ",",
            paramLabel = "<email>",
            description = "With --layout syftbox: the datasite of every party, in pid order (E0,E1,…).")
    List<String> partyEmails = new ArrayList<>();

    private final TransportOpener opener;
    private final boolean exitOnSignal;

    /**
     * @param opener opens the file side
     * @param exitOnSignal whether a signal-triggered shutdown ends the JVM with status 0 (the
     *     launcher), instead of the JVM's default 128+signal
     */
    public FormixProxyCommand(TransportOpener opener, boolean exitOnSignal) {
        this.opener = opener;
        this.exitOnSignal = exitOnSignal;
    }

    /** The launcher's entry point: runs until SIGTERM or Ctrl-C, exits with a documented code. */
    public static void main(String[] args) {
        boolean verbose = java.util.Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        configureLogging(verbose);
        System.exit(
                commandLine(new FormixProxyCommand(FileChannels.OPENER, true)).execute(args));
    }

    /** One line per event on stderr: time, level, message; debug with {@code -v}. */
    static void configureLogging(boolean verbose) {
        String prefix = "org.slf4j.simpleLogger.";
        if (verbose) {
            System.setProperty(prefix + "defaultLogLevel", "debug");
        }
        for (String[] kv : new String[][] {
            {"defaultLogLevel", "info"},
            {"showDateTime", "true"},
            {"dateTimeFormat", "HH:mm:ss.SSS"},
            {"showThreadName", "false"},
            {"showLogName", "false"},
            {"logFile", "System.err"}
        }) {
            if (System.getProperty(prefix + kv[0]) == null) {
                System.setProperty(prefix + kv[0], kv[1]);
            }
        }
    }

    /**
     * The default of both base ports for {@code pid}: {@code 8000 + 1000·pid}, the Sequre deployment
     * table (8000, 9000, 10000 for parties 0, 1, 2), where each party's engine and proxy share one base.
     */
    static int defaultBasePort(int pid) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, 8000L + 1000L * pid));
    }

    /** {@code <data-dir>/.formix-local/<pid>}: the file transport's own default, so one ignore line covers both. */
    static Path defaultStateDir(Path dataDir, int pid) {
        return dataDir.resolve(".formix-local").resolve(Integer.toString(pid));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ProxyConfig config;
        ChannelLayout channelLayout;
        try {
            if (maxMessageBytes < 0) {
                throw new IllegalArgumentException("--max-message-bytes must be >= 0");
            }
            if (chunkBytes > maxMessageBytes) {
                throw new IllegalArgumentException(
                        "--chunk-bytes " + chunkBytes + " exceeds --max-message-bytes " + maxMessageBytes);
            }
            Set<Integer> uids = new HashSet<>();
            for (long uid : allowUids) {
                if (uid < 0 || uid > 0xFFFF_FFFEL) {
                    throw new IllegalArgumentException("--allow-uid " + uid + " is not a user id");
                }
                uids.add((int) uid);
            }
            if (probationMs < 0) {
                throw new IllegalArgumentException("--probation-ms must be >= 0");
            }
            config = ProxyConfig.builder(
                            pid,
                            parties != null ? parties : DEFAULT_PARTIES,
                            basePort != null ? basePort : defaultBasePort(pid),
                            sequreBasePort != null ? sequreBasePort : defaultBasePort(pid))
                    .framing(framing)
                    .rawChunkBytes(chunkBytes)
                    .appHost(InetAddress.getByName(appHost))
                    .shutdownGrace(Duration.ofMillis(shutdownGraceMs))
                    .allowUids(uids)
                    .probation(Duration.ofMillis(probationMs))
                    .stateDir(stateDir != null ? stateDir : defaultStateDir(dataDir, pid))
                    .build();
            channelLayout = channelLayout();
        } catch (IllegalArgumentException | UnknownHostException e) {
            String defaulted =
                    (basePort == null && String.valueOf(e.getMessage()).startsWith("--base-port"))
                                    || (sequreBasePort == null
                                            && String.valueOf(e.getMessage()).startsWith("--sequre-base-port"))
                            ? " (8000 + 1000*pid by default; give the port explicitly)"
                            : "";
            return fail(err, CommandLine.ExitCode.USAGE, e.getMessage() + defaulted + " (see --help)", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String line :
                StartPlan.lines(config, dataDir, parties == null, basePort == null || sequreBasePort == null)) {
            out.println(line);
        }
        out.flush();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            return fail(err, EXIT_DATA_DIR, "cannot create the data folder " + dataDir + ": " + e, e);
        }
        Transport transport;
        try {
            transport = opener.open(
                    dataDir, PartyId.ofPid(pid), maxMessageBytes, !noFsync, config.stateDir(), channelLayout);
        } catch (ChannelLockedException e) {
            return fail(
                    err,
                    EXIT_LOCKED,
                    "party " + pid + " is already open on " + dataDir + " (" + e.getMessage()
                            + "); stop the other formix-proxy or program running as party " + pid,
                    e);
        } catch (IOException e) {
            return fail(
                    err,
                    EXIT_DATA_DIR,
                    "cannot open the channels of party " + pid + " in " + dataDir + ": " + e.getMessage(),
                    e);
        }
        Proxy proxy;
        try {
            proxy = Proxy.start(config, transport);
        } catch (PortInUseException e) {
            transport.close();
            return fail(err, EXIT_PORT_IN_USE, "port " + e.port() + " is in use: " + e.getMessage(), e);
        } catch (IOException e) {
            transport.close();
            return fail(
                    err, EXIT_DATA_DIR, "cannot use the state folder " + config.stateDir() + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                proxy.shutdown();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            System.err.flush();
                            if (exitOnSignal) {
                                Runtime.getRuntime().halt(CommandLine.ExitCode.OK);
                            }
                        },
                        "formix-proxy-shutdown"));
        if (statsInterval > 0) {
            startStats(proxy, Duration.ofSeconds(statsInterval));
        }
        while (!proxy.awaitTermination(Duration.ofDays(1))) {
            // runs until a signal starts the shutdown hook
        }
        return CommandLine.ExitCode.OK;
    }

    /** The layout of {@code --layout}; its options checked (one clear line each). */
    private ChannelLayout channelLayout() {
        switch (layout) {
            case "default", "flat" -> {
                if (datasites != null || email != null || !partyEmails.isEmpty()) {
                    throw new IllegalArgumentException("--datasites, --email and --party-emails need --layout syftbox");
                }
                return ChannelLayout.flat();
            }
            case "syftbox" -> {
                if (datasites == null || email == null || partyEmails.isEmpty()) {
                    throw new IllegalArgumentException(
                            "--layout syftbox needs --datasites, --email and --party-emails");
                }
                if (partyEmails.size() != parties) {
                    throw new IllegalArgumentException(
                            "--party-emails names " + partyEmails.size() + " datasites for " + parties + " parties");
                }
                Map<PartyId, String> table = new LinkedHashMap<>();
                for (int i = 0; i < partyEmails.size(); i++) {
                    table.put(PartyId.ofPid(i), partyEmails.get(i));
                }
                ChannelLayout l = ChannelLayout.syftbox(datasites, email, table);
                if (pid >= 0
                        && pid < partyEmails.size()
                        && !partyEmails.get(pid).equals(email)) {
                    throw new IllegalArgumentException("--email " + email + " is not the datasite of pid " + pid
                            + " in --party-emails (" + partyEmails.get(pid) + ")");
                }
                return l;
            }
            default ->
                throw new IllegalArgumentException(
                        "--layout must be default or syftbox, not \"" + layout.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
    }

    private static void startStats(Proxy proxy, Duration every) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.formix.proxy.stats");
        Thread t = new Thread(
                () -> {
                    try {
                        while (!proxy.awaitTermination(every)) {
                            for (LinkStats s : proxy.stats()) {
                                log.info("stats {}", s.summary());
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "formix-proxy-stats");
        t.setDaemon(true);
        t.start();
    }

    private int fail(PrintWriter err, int code, String message, Exception e) {
        err.println("formix-proxy: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Parses {@code --framing}. */
    static final class FramingConverter implements CommandLine.ITypeConverter<Framing> {
        @Override
        public Framing convert(String value) {
            try {
                return Framing.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Builds the picocli command line for {@code cmd}, with one-line errors for exceptions. */
    public static CommandLine commandLine(FormixProxyCommand cmd) {
        CommandLine cl = new CommandLine(cmd);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("formix-proxy: " + ex.getMessage() + " (see --help)");
            ex.getCommandLine().getErr().flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("formix-proxy: " + ex);
            if (cmd.verbose) {
                ex.printStackTrace(line.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }
}
