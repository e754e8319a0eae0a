package io.optin.systemtests;

import static org.awaitility.Awaitility.await;

import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.kit.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of optin as {@code optin dev} runs it (embedded broker, registry, Twilio sandbox, every
 * service), on free ports in a scratch directory, started and ready: the start the whole-flow ITs
 * share, each adding only the settings its flow needs.
 */
public final class ReadyOptin {

  private static final Duration READY_WAIT = Duration.ofSeconds(120);

  private ReadyOptin() {}

  /**
   * Starts optin in {@code dataDir} with two partitions per topic and returns it once every service
   * is ready.
   *
   * @param environment more {@code OPTIN_*} variables; they win over the defaults chosen here
   */
  public static EmbeddedOptin start(Path dataDir, Map<String, String> environment) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("OPTIN_DEV_BROKER_PORT", "0");
    all.put("OPTIN_DEV_REGISTRY_PORT", "0");
    all.put("OPTIN_DEV_SANDBOX_PORT", "0");
    all.put("OPTIN_HTTP_PORT", "0");
    all.put("OPTIN_DEV_DATA_DIR", dataDir.toString());
    all.put("OPTIN_TOPICS_PARTITIONS", "2");
    all.putAll(environment);
    EmbeddedOptin optin =
        EmbeddedOptin.start(Settings.load(DevSettings.CATALOGUE, Optional.empty(), all));
    try {
      await().atMost(READY_WAIT).until(optin::isReady);
      return optin;
    } catch (RuntimeException | Error e) {
      optin.close();
      throw e;
    }
  }
}
