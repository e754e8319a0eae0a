package io.optin.app.cli;

import io.optin.app.DevStack;
import io.optin.app.ProvisioningReport.Result;
import io.optin.schemas.config.Settings;
import io.optin.schemas.config.SettingsCatalogue;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code optin dev}: the embedded stack, left running until Ctrl-C (or an interrupt of the thread running it),
 * which stops it cleanly.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Run the embedded default: a real single-node Kafka broker (KRaft), the Schema Registry and "
        + "every optin topic.",
        "Ports and the data directory come from the dev.* settings; Ctrl-C stops everything cleanly."})
public final class DevCommand implements Callable<Integer> {

  /** Long enough for a broker to flush and stop; short enough that a stuck stop does not hang the terminal. */
  private static final long STOP_WAIT_SECONDS = 60;

  @Mixin
  private ConfigOption config;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = config.load();
    PrintWriter out = spec.commandLine().getOut();
    long startedAt = System.nanoTime();
    out.println("Starting the optin dev stack...");
    out.flush();
    DevStack stack = DevStack.start(settings);
    printReady(out, stack, Duration.ofNanos(System.nanoTime() - startedAt));

    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // The JVM halts once its shutdown hooks return, so the hook waits for the stop done on the command's thread.
    Thread hook = new Thread(() -> {
      stopRequested.countDown();
      awaitQuietly(stopped);
    }, "optin-dev-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      removeHook(hook);
      stop(out, stack);
      stopped.countDown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void printReady(PrintWriter out, DevStack stack, Duration startup) {
    out.println();
    out.println("Kafka broker     " + stack.bootstrapServers());
    out.println("Schema Registry  " + stack.registryUrl());
    out.println("Data directory   " + stack.dataDir());
    out.println();
    out.print(stack.topics().table());
    out.println();
    out.printf(Locale.ROOT, "Topics: %d created, %d already existed.%n",
        stack.topics().withResult(Result.CREATED).size(), stack.topics().withResult(Result.EXISTS).size());
    out.printf(Locale.ROOT, "Ready in %.1f s. Press Ctrl-C to stop.%n", startup.toMillis() / 1000.0);
    out.flush();
  }

  private static void stop(PrintWriter out, DevStack stack) {
    long stoppingAt = System.nanoTime();
    out.println();
    out.println("Stopping the optin dev stack...");
    out.flush();
    stack.close();
    out.printf(Locale.ROOT, "Stopped cleanly in %.1f s; data kept in %s (set %s to use another directory).%n",
        (System.nanoTime() - stoppingAt) / 1e9, stack.dataDir(), SettingsCatalogue.DEV_DATA_DIR.key());
    out.flush();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is what woke us: it is running and waits for this stop.
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
