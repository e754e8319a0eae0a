package io.optin.devkit.demo;

import static io.optin.audit.AuditSettings.AUDIT_CHECKPOINT_INTERVAL;
import static io.optin.devkit.DevSettings.DEV_BROKER_PORT;
import static io.optin.devkit.DevSettings.DEV_REGISTRY_PORT;
import static io.optin.devkit.DevSettings.DEV_SANDBOX_PORT;
import static io.optin.dispatcher.DispatcherSettings.PROGRAMS_PREFIX;
import static io.optin.dispatcher.DispatcherSettings.SMS_RATE_PER_SECOND;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_ACCOUNT_SID;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_API_BASE_URL;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_FROM;
import static io.optin.dispatcher.DispatcherSettings.WHATSAPP_CONTENT_SID;
import static io.optin.dispatcher.DispatcherSettings.WHATSAPP_FROM;
import static io.optin.ingest.IngestSettings.LIMITS_PHONE_PER_HOUR;
import static io.optin.ingest.IngestSettings.LIMITS_PUMPING_MIN_SENDS;
import static io.optin.kit.config.ProcessSettings.HTTP_PORT;
import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stack: the whole embedded default ({@link EmbeddedOptin}) on free ports, in a
 * temporary data directory deleted on close, always on the Twilio sandbox, so counts are exact and
 * a running {@code optin dev} is never touched. It ignores the {@code --config} file and {@code
 * OPTIN_*} variables: a demo is the same everywhere. The bench starts the same stack on its own
 * sandbox ({@link #startOn}).
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
   * every 2 s instead of 30 s. The landline subscribers' program falls back to a call ({@code
   * programs.demo-landline.fallback.channels=sms,voice}), the filtered ones' to WhatsApp ({@code
   * programs.demo-whatsapp.fallback.channels=sms,whatsapp}, from the sandbox's number with a
   * sandbox template); every other program stays on SMS only.
   */
  static final Map<String, String> DEMO_SETTINGS =
      Map.ofEntries(
          Map.entry(
              PROGRAMS_PREFIX + DemoPlan.LANDLINE_PROGRAM + ".fallback.channels", "sms,voice"),
          Map.entry(
              PROGRAMS_PREFIX + DemoPlan.WHATSAPP_PROGRAM + ".fallback.channels", "sms,whatsapp"),
          Map.entry(WHATSAPP_FROM.key(), EmbeddedOptin.SANDBOX_FROM),
          Map.entry(WHATSAPP_CONTENT_SID.key(), DemoPlan.WHATSAPP_CONTENT_SID),
          Map.entry(DEV_BROKER_PORT.key(), "0"),
          Map.entry(DEV_REGISTRY_PORT.key(), "0"),
          Map.entry(DEV_SANDBOX_PORT.key(), "0"),
          Map.entry(HTTP_PORT.key(), "0"),
          Map.entry(SMS_RATE_PER_SECOND.key(), "500"),
          Map.entry(LIMITS_PHONE_PER_HOUR.key(), "1000"),
          Map.entry(LIMITS_PUMPING_MIN_SENDS.key(), Integer.toString(DemoPlan.MAX_SUBSCRIBERS)),
          // Checkpoint often, so the chain verified at the end is covered by a signed checkpoint
          // almost to its end.
          Map.entry(AUDIT_CHECKPOINT_INTERVAL.key(), "2s"));

  private final EmbeddedOptin optin;
  private final TwilioSandbox sandbox;
  private final Path dataDir;

  private EmbeddedDemoStack(EmbeddedOptin optin, Path dataDir, TwilioSandbox ownSandbox) {
    this.optin = optin;
    this.sandbox =
        ownSandbox != null
            ? ownSandbox
            : optin
                .sandbox()
                .orElseThrow(() -> new IllegalStateException("the demo runs on the sandbox"));
    this.dataDir = dataDir;
  }

  /**
   * Starts the stack and waits until every service is ready; its sandbox plays {@link
   * DemoPlan#deliveryScript()}.
   */
  public static EmbeddedDemoStack start(Duration window) {
    EmbeddedDemoStack stack =
        start(
            DEMO_SETTINGS,
            "optin demo",
            settings -> EmbeddedOptin.startDemo(settings, window),
            null);
    stack.sandbox.deliveryScript(DemoPlan.deliveryScript());
    return stack;
  }

  /**
   * A fresh stack like the demo's (free ports, temporary data directory deleted on close), with the
   * defaults changed only by {@code settings}, texting through {@code sandbox}, which the caller
   * started and owns: the services get its credentials and URL, and it gets optin's inbound webhook
   * URL. {@code optin bench} runs on this.
   *
   * @param accountSid the sandbox's account sid
   * @param authToken the sandbox's auth token
   * @param origin how the settings are named in errors
   */
  public static EmbeddedDemoStack startOn(
      TwilioSandbox sandbox,
      String accountSid,
      String authToken,
      Map<String, String> settings,
      String origin) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put(DEV_BROKER_PORT.key(), "0");
    all.put(DEV_REGISTRY_PORT.key(), "0");
    all.put(HTTP_PORT.key(), "0");
    all.put(TWILIO_ACCOUNT_SID.key(), accountSid);
    all.put(TWILIO_AUTH_TOKEN.key(), authToken);
    all.put(TWILIO_API_BASE_URL.key(), sandbox.baseUrl().toString());
    all.put(TWILIO_FROM.key(), EmbeddedOptin.SANDBOX_FROM);
    EmbeddedDemoStack stack = start(all, origin, EmbeddedOptin::start, sandbox);
    sandbox.inboundWebhookUrl(stack.optin.inboundWebhookUrl());
    return stack;
  }

  private static EmbeddedDemoStack start(
      Map<String, String> changes,
      String origin,
      Function<Settings, EmbeddedOptin> starter,
      TwilioSandbox ownSandbox) {
    Path dataDir = temporaryDataDir();
    EmbeddedOptin optin = null;
    try {
      Settings settings =
          Settings.defaults(DevSettings.CATALOGUE)
              .with(changes, origin)
              .with(Map.of(DEV_DATA_DIR.key(), dataDir.toString()), origin);
      optin = starter.apply(settings);
      if (!awaitReady(optin)) {
        throw new IllegalStateException(
            "the services were not ready after " + READY_WAIT.toSeconds() + " s");
      }
      return new EmbeddedDemoStack(optin, dataDir, ownSandbox);
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

  @Override
  public Settings settings() {
    return optin.settings();
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
