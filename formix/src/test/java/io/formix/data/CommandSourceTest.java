package io.formix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CommandSourceTest {

    @TempDir
    Path dir;

    CommandSource command(Duration timeout, long maxBytes, String... argv) {
        return new CommandSource(CommandSource.define("cmd", List.of(argv), dir, timeout, maxBytes));
    }

    @Test
    void runsWithoutAShellReadsStdinAndReturnsStdout() {
        assertEquals("{\"q\":1}", command(Duration.ofSeconds(10), 1024, "cat").run("{\"q\":1}"));
        assertEquals(
                "$HOME; rm -rf x\n",
                command(Duration.ofSeconds(10), 1024, "echo", "$HOME; rm -rf x").run(""),
                "no shell expands or splits anything");
        assertEquals(
                dir.toAbsolutePath() + "\n",
                command(Duration.ofSeconds(10), 1024, "pwd").run(""),
                "it runs in the folder where it was added");
    }

    @Test
    void splitsACommandLineLikeAShellWouldQuoteButExpandsNothing() {
        assertEquals(
                List.of("python3", "train.py", "--name", "a b", "it's", "$X", "*"),
                CommandSource.split("python3  train.py --name \"a b\" \"it's\" '$X' *"));
        assertThrows(DataException.class, () -> CommandSource.split("echo \"open"));
    }

    @Test
    void aCommandThatHangsIsStoppedAtItsTimeout() {
        long start = System.nanoTime();
        DataException e = assertThrows(
                DataException.class,
                () -> command(Duration.ofMillis(300), 1024, "sleep", "20").run(""));
        assertEquals("the command sleep did not finish within 300 ms — it was stopped", e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void tooMuchOutputAFailureOrNonUtf8AreErrors() {
        DataException big = assertThrows(
                DataException.class,
                () -> command(Duration.ofSeconds(20), 1000, "yes").run(""));
        assertEquals("the command yes printed more than 1000 B (raise it with --max-size)", big.getMessage());
        DataException status = assertThrows(
                DataException.class,
                () -> command(
                                Duration.ofSeconds(10),
                                1000,
                                "ls",
                                dir.resolve("missing").toString())
                        .run(""));
        assertTrue(status.getMessage().startsWith("the command ls exited with status 2: "), status.getMessage());
        DataException bytes = assertThrows(
                DataException.class,
                () -> command(Duration.ofSeconds(10), 1000, "printf", "\\377").run(""));
        assertTrue(bytes.getMessage().contains("not UTF-8"), bytes.getMessage());
        assertTrue(assertThrows(
                        DataException.class,
                        () -> command(Duration.ofSeconds(10), 1000, "/no/such/program")
                                .run(""))
                .getMessage()
                .startsWith("cannot run /no/such/program"));
    }
}
