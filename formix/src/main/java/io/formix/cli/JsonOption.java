package io.formix.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of commands that print either JSON for scripts or a view for people,
 * shared as a picocli {@code @Mixin}.
 */
public final class JsonOption {

    @Option(names = "--json", description = "print JSON")
    public boolean json;

    /** Prints {@code value} as JSON with {@code --json}, else {@code human}; see {@link Main#print}. */
    public void print(Main main, Supplier<?> value, Consumer<PrintWriter> human) {
        main.print(json, value, human);
    }
}
