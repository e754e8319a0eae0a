package io.optin.systemtests.crash;

import static org.awaitility.Awaitility.await;

import io.optin.server.OptinCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code optin run SERVICE… --config FILE} in a JVM of its own, started as an operator would and
 * killed as a crash would: {@link #kill()} is SIGKILL, no shutdown hook, no clean close of any
 * client.
 */
final class OptinProcess implements AutoCloseable {

  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final URI gateway;
  private volatile boolean killed;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OptinProcess(Process process, Path log, URI gateway) {
    this.process = process;
    this.log = log;
    this.gateway = gateway;
  }

  /**
   * Starts the process on the test's own class path; its stdout and stderr go to {@code log}
   * (replaced).
   *
   * @param gateway where its HTTP port will answer ({@code http.port} of the config)
   */
  static OptinProcess start(Path config, Path log, URI gateway) {
    return start(config, log, gateway, List.of("all"), "512m");
  }

  /**
   * Starts {@code optin run SERVICES…} on the test's own class path; its stdout and stderr go to
   * {@code log} (replaced).
   *
   * @param services the service words of the command line ({@code ingest}, {@code all}…)
   * @param heap the child's {@code -Xmx}
   */
  static OptinProcess start(
      Path config, Path log, URI gateway, List<String> services, String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: two cores are shared with the broker of the test and other builds.
    command.addAll(
        List.of(
            "-Xmx" + heap,
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            OptinCommand.class.getName(),
            "run"));
    command.addAll(services);
    command.addAll(List.of("--config", config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.to(log.toFile()));
    // Only the file configures the child: an OPTIN_* variable of the build's environment would
    // override it.
    builder.environment().keySet().removeIf(name -> name.startsWith("OPTIN_"));
    try {
      return new OptinProcess(builder.start(), log, gateway);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start optin run", e);
    }
  }

  /** Waits for {@code /health/ready} to answer 200; fails at once if the process exits. */
  OptinProcess awaitReady(Duration atMost) {
    await("optin ready, log in " + log)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "optin run exited with " + process.exitValue() + ", see " + log);
              }
              return readyStatus() == 200;
            });
    return this;
  }

  /** Whether {@code /health/ready} answers 200 now. */
  boolean readyNow() {
    return process.isAlive() && readyStatus() == 200;
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() {
    killed = true;
    process.destroyForcibly();
    awaitExit();
  }

  /** Whether the test killed it (as opposed to an exit of its own). */
  boolean killed() {
    return killed;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Writes the threads of the running process next to its log ({@code jcmd Thread.print}), for a
   * test that gave up waiting on it: where a stuck service waits is then on record. Returns the
   * file, or a line saying why there is none.
   */
  String dumpThreads(String suffix) {
    Path dump = log.resolveSibling(log.getFileName() + "." + suffix + ".threads.txt");
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(process.pid()),
                  "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(Redirect.to(dump.toFile()))
              .start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        return "no thread dump: jcmd took over 30 s";
      }
      return "threads in " + dump;
    } catch (IOException e) {
      return "no thread dump: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "no thread dump: interrupted";
    }
  }

  Path log() {
    return log;
  }

  /**
   * A clean stop (SIGTERM, the shutdown hook closes everything), or a kill if it does not stop in
   * time.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("optin run did not exit after SIGKILL, see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for optin run to exit", e);
    }
  }

  private int readyStatus() {
    try {
      return http.send(
              HttpRequest.newBuilder(gateway.resolve("/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
