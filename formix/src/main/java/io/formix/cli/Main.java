package io.formix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.formix.cli.comp.CompCommand;
import io.formix.cli.network.NetworkCommand;
import io.formix.cli.node.NodeCommand;
import io.formix.service.ComputationService;
import io.formix.service.DataService;
import io.formix.service.Failures;
import io.formix.service.Home;
import io.formix.service.HomeService;
import io.formix.service.HostService;
import io.formix.service.NetworkService;
import io.formix.service.NodeService;
import io.formix.service.OwnerService;
import io.formix.service.Pause;
import io.formix.service.PolicyService;
import io.formix.service.ServiceException;
import io.formix.service.TerminalText;
import io.formix.service.Views;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code formix}: create a network of heavy and light nodes, propose computations, reveal totals.
 * {@code main} is one {@code System.exit(new CommandLine(...).execute(args))}; tests call
 * {@link #commandLine(Map)} and {@code execute} with their own environment and writers.
 */
@Command(
        name = "formix",
        mixinStandardHelpOptions = true,
        version = "formix 0.1.0",
        description = "Private Map Secure Reduce: light nodes answer, three heavy nodes add up secret shares, "
                + "only the total is revealed.",
        subcommands = {
            InitCommand.class,
            NodeCommand.class,
            NetworkCommand.class,
            CompCommand.class,
            CompletionCommand.class,
            HostCommand.class,
            io.formix.cli.data.DataCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", ExitCodes.HELP, "", "Environment: FORMIX_HOME, FORMIX_DATA_DIR, FORMIX_TRANSPORT, NO_COLOR"})
public final class Main {

    @Option(
            names = "--home",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Formix home (env FORMIX_HOME, default ~/.formix)")
    Path home;

    @Option(
            names = "--data-dir",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "transport data folder (env FORMIX_DATA_DIR, default $FORMIX_HOME/channels)")
    Path dataDir;

    @Option(
            names = "--transport",
            scope = ScopeType.INHERIT,
            paramLabel = "file|tcp",
            description = "how nodes talk (env FORMIX_TRANSPORT, default file)")
    String transport;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "show stack traces of errors")
    boolean verbose;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "plain output (also when NO_COLOR is set)")
    boolean noColor;

    final Map<String, String> env;
    private CommandLine commandLine;
    /** The mapper of every {@code --json} output ({@link Views#JSON}). */
    public static final ObjectMapper JSON = Views.JSON;

    Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The configured command line, for tests (set out/err writers, then {@code execute}). */
    public static CommandLine commandLine(Map<String, String> env) {
        Main main = new Main(env);
        CommandLine cl = new CommandLine(main);
        main.commandLine = cl;
        cl.setExecutionExceptionHandler((ex, line, parse) -> main.handle(ex, line));
        cl.setParameterExceptionHandler((ex, args) -> {
            // One line, like every other error: what happened, and where to look.
            CommandLine where = ex.getCommandLine();
            PrintWriter err = where.getErr();
            String msg = ex.getMessage() == null
                    ? "invalid arguments"
                    : ex.getMessage().strip();
            if (!msg.isEmpty()) {
                msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
            }
            err.println("formix: " + msg.replace('\n', ' ') + " — see '"
                    + where.getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExpandAtFiles(false); // "--query @FILE" is read by the command, not split into arguments by picocli
        cl.registerConverter(java.time.Duration.class, new Durations());
        return cl;
    }

    private int handle(Exception ex, CommandLine line) {
        PrintWriter err = line.getErr();
        if (ex instanceof CliException c) {
            err.println("formix: " + TerminalText.safe(c.getMessage()));
            err.flush();
            return c.exitCode;
        }
        if (ex instanceof ServiceException s) {
            err.println("formix: " + TerminalText.safe(s.getMessage()));
            err.flush();
            return exitCode(s.kind());
        }
        String failure = Failures.describe(ex);
        if (failure != null) {
            err.println("formix: " + TerminalText.safe(failure));
        } else if (ex instanceof IllegalArgumentException a) {
            err.println("formix: " + TerminalText.safe(a.getMessage()));
            err.flush();
            return ExitCodes.USAGE;
        } else {
            err.println("formix: unexpected error: " + TerminalText.safe(ex.toString())
                    + " — rerun with -v for the stack trace");
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.ERROR;
    }

    private static int exitCode(ServiceException.Kind kind) {
        return switch (kind) {
            case ERROR -> ExitCodes.ERROR;
            case USAGE -> ExitCodes.USAGE;
            case NOT_FOUND -> ExitCodes.NOT_FOUND;
            case REFUSED -> ExitCodes.REFUSED;
            case TIMEOUT -> ExitCodes.TIMEOUT;
        };
    }

    // ------------------------------------------------------------------ shared by the commands

    /** The home, data folder and transport the options and environment name. */
    public Home home() {
        Path h = home;
        if (h == null) {
            String e = env.get("FORMIX_HOME");
            h = e != null && !e.isBlank() ? Path.of(e) : Path.of(System.getProperty("user.home"), ".formix");
        }
        Path d = dataDir;
        if (d == null) {
            String e = env.get("FORMIX_DATA_DIR");
            d = e != null && !e.isBlank() ? Path.of(e) : null;
        }
        return new Home(h, d, this::transportName);
    }

    String transportName() {
        String t = transport != null ? transport : env.getOrDefault("FORMIX_TRANSPORT", "file");
        if (!t.equals("file") && !t.equals("tcp")) {
            throw new CliException(ExitCodes.USAGE, "unknown transport '" + t + "' — use file or tcp");
        }
        return t;
    }

    /** A line for the user beside the result (a warning, nodes left out): on stderr after "formix: ". */
    private void notice(String line) {
        PrintWriter err = commandLine.getErr();
        err.println("formix: " + line);
        err.flush();
    }

    public HomeService homes() {
        return new HomeService(home(), Clock.systemUTC());
    }

    public DataService data() {
        return new DataService(home());
    }

    public PolicyService policies() {
        return new PolicyService(home(), Clock.systemUTC());
    }

    public NodeService nodes() {
        return new NodeService(home(), Clock.systemUTC(), Pause.REAL, this::notice);
    }

    public NetworkService network() {
        return new NetworkService(home(), Clock.systemUTC(), Pause.REAL, this::notice);
    }

    public ComputationService computations() {
        return new ComputationService(home(), Clock.systemUTC(), Pause.REAL, this::notice);
    }

    public OwnerService owners() {
        return new OwnerService(home(), Clock.systemUTC());
    }

    public HostService hosts() {
        return new HostService(home(), Clock.systemUTC(), Pause.REAL);
    }

    public PrintWriter out() {
        return commandLine.getOut();
    }

    public PrintWriter err() {
        return commandLine.getErr();
    }

    public boolean color() {
        return !noColor && !env.containsKey("NO_COLOR") && System.console() != null;
    }

    public String paint(String text, String status) {
        if (!color()) {
            return text;
        }
        String code = switch (status) {
            case "running", "revealed" -> "32";
            case "failed", "dead" -> "31";
            case "collecting", "aggregating", "broadcast", "proposed" -> "33";
            default -> "2";
        };
        return "\u001B[" + code + "m" + text + "\u001B[0m";
    }

    public void printJson(PrintWriter out, Object value) {
        out.println(Views.json(value));
        out.flush();
    }

    /**
     * Prints {@code value} as JSON when {@code json}, else lets {@code human} write its view to the
     * command's output; flushes either way. {@code value} is only computed for JSON.
     */
    public void print(boolean json, Supplier<?> value, Consumer<PrintWriter> human) {
        PrintWriter out = commandLine.getOut();
        if (json) {
            printJson(out, value.get());
        } else {
            human.accept(out);
            out.flush();
        }
    }

    public CommandLine commandLine() {
        return commandLine;
    }
}
