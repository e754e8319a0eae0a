package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * One {@code optin} command on its own thread, as a terminal runs it: ready once it says so,
 * stopped as Ctrl-C would (the interrupt), with everything it printed.
 */
final class RunningCommand {

  private final StringWriter out = new StringWriter();
  private final Thread thread;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private RunningCommand(CommandLine commandLine, String... args) {
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    thread =
        new Thread(
            () -> exit.complete(commandLine.execute(args)), "optin-" + args[0] + "-under-test");
  }

  /**
   * Starts {@code args} on a command: the production one ({@code OptinCommand}) or the laptop's
   * ({@code DevkitCommand}), made with the environment variables it should see.
   */
  static RunningCommand start(CommandLine command, String... args) {
    RunningCommand running = new RunningCommand(command, args);
    running.thread.start();
    return running;
  }

  /** Waits until the command says it runs until stopped; returns what it printed so far. */
  String awaitReady() {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> out.toString().contains("Press Ctrl-C to stop.") || exit.isDone());
    assertThat(exit).as(out.toString()).isNotDone();
    return out.toString();
  }

  /** Stops it as Ctrl-C would; returns its exit code. */
  int stop() throws Exception {
    thread.interrupt();
    return exit.get(60, TimeUnit.SECONDS);
  }

  String output() {
    return out.toString();
  }

  /** The first group of {@code pattern} in {@code text}, which must hold it. */
  static String group(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
    return matcher.group(1);
  }
}
