package io.optin.devkit.demo;

import static io.optin.audit.AuditSettings.AUDIT_CHECKPOINT_INTERVAL;
import static io.optin.devkit.DevSettings.DEV_BROKER_PORT;
import static io.optin.devkit.DevSettings.DEV_REGISTRY_PORT;
import static io.optin.devkit.DevSettings.DEV_SANDBOX_PORT;
import static io.optin.dispatcher.DispatcherSettings.SMS_MAX_CONCURRENCY;
import static io.optin.dispatcher.DispatcherSettings.SMS_RATE_PER_SECOND;
import static io.optin.ingest.IngestSettings.LIMITS_PHONE_PER_HOUR;
import static io.optin.ingest.IngestSettings.LIMITS_PUMPING_MIN_SENDS;
import static io.optin.kit.config.ProcessSettings.HTTP_PORT;
import static io.optin.server.DevAuditSecrets.DEV_DATA_DIR;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stack: the whole embedded default ({@link EmbeddedOptin}) on free ports, in a
 * temporary data directory deleted on close, always on the Twilio sandbox, so counts are exact and
 * a running {@code optin dev} is never touched. It ignores the {@code --config} file and {@code
 * OPTIN_*} variables: a demo is the same everywhere.
 */
public final class EmbeddedDemoStack implements DemoStack {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDemoStack.class);

  /**
   * Starting Kafka Streams applications on one small machine can take a while; beyond this
   * something is wrong.
   */
  static final Duration READY_WAIT = Duration.ofSeconds(90);

  /**
   * What the demo changes from the defaults: free ports; SMS as fast as the sandbox takes them (the
   * default of 10 a second would make most of 300 codes arrive after a 20 s window); a per-phone
   * limit that lets the carrier- refused subscribers share Twilio's one magic invalid number, each
   * under its own program; and a pumping threshold no run can reach, since none of those codes is
   * ever confirmed (they are an eighth of the subscribers, up to 125, all in the prefix +150055:
   * runs of about 400 or more would trip the default of 50 sends at 0 %); and ledger checkpoints
   * every 2 s instead of 30 s.
   */
  static final Map<String, String> DEMO_SETTINGS =
      Map.of(
          DEV_BROKER_PORT.key(), "0",
          DEV_REGISTRY_PORT.key(), "0",
          DEV_SANDBOX_PORT.key(), "0",
          HTTP_PORT.key(), "0",
          SMS_RATE_PER_SECOND.key(), "500",
          SMS_MAX_CONCURRENCY.key(), "16",
          LIMITS_PHONE_PER_HOUR.key(), "1000",
          LIMITS_PUMPING_MIN_SENDS.key(), Integer.toString(DemoPlan.MAX_SUBSCRIBERS),
          // Checkpoint often, so the chain verified at the end is covered by a signed checkpoint
          // almost to its end.
          AUDIT_CHECKPOINT_INTERVAL.key(), "2s");

  private final EmbeddedOptin optin;
  private final TwilioSandbox sandbox;
  private final Path dataDir;

  private EmbeddedDemoStack(EmbeddedOptin optin, Path dataDir) {
    this.optin = optin;
    this.sandbox =
        optin
            .sandbox()
            .orElseThrow(() -> new IllegalStateException("the demo runs on the sandbox"));
    this.dataDir = dataDir;
  }

  /** Starts the stack and waits until every service is ready. */
  public static EmbeddedDemoStack start(Duration window) {
    Path dataDir = temporaryDataDir();
    EmbeddedOptin optin = null;
    try {
      Settings settings =
          Settings.defaults(DevSettings.CATALOGUE)
              .with(DEMO_SETTINGS, "optin demo")
              .with(Map.of(DEV_DATA_DIR.key(), dataDir.toString()), "optin demo");
      optin = EmbeddedOptin.startDemo(settings, window);
      if (!awaitReady(optin)) {
        throw new IllegalStateException(
            "the services were not ready after " + READY_WAIT.toSeconds() + " s");
      }
      return new EmbeddedDemoStack(optin, dataDir);
    } catch (RuntimeException e) {
      if (optin != null) {
        optin.close();
      }
      delete(dataDir);
      throw e;
    }
  }

  @Override
  public URI gatewayUrl() {
    return optin.gatewayUrl();
  }

  @Override
  public TwilioSandbox sandbox() {
    return sandbox;
  }

  @Override
  public String bootstrapServers() {
    return optin.bootstrapServers();
  }

  @Override
  public AvroSerdes serdes() {
    return optin.serdes();
  }

  @Override
  public CheckpointPublicKey ledgerPublicKey() {
    return LedgerKeys.from(optin.settings()).publicKey();
  }

  /** Stops everything and deletes the data directory. */
  @Override
  public void close() {
    try {
      optin.close();
    } finally {
      delete(dataDir);
    }
  }

  private static boolean awaitReady(EmbeddedOptin optin) {
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (!optin.isReady()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static Path temporaryDataDir() {
    try {
      return Files.createTempDirectory("optin-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo's data directory", e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete the demo's data directory {}: {}", dir, e.toString());
    }
  }
}
