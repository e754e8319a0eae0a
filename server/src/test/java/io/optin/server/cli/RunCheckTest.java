package io.optin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.server.OptinCommand;
import io.optin.server.OptinSettings;
import io.optin.server.stack.OptinServices;
import io.optin.server.stack.ServiceChecks;
import io.optin.server.stack.ServiceName;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code optin run SERVICE… --check} reports every settings problem that would stop the services,
 * connecting nowhere, and refuses exactly what {@code optin run} refuses.
 */
class RunCheckTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldSayOkWithoutConnectingOrBindingAnything() throws Exception {
    // Given complete settings, a broker and a registry nobody listens on, and the HTTP port taken
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Map<String, String> environment = complete();
      environment.put("OPTIN_HTTP_PORT", Integer.toString(taken.getLocalPort()));

      // When
      int exit = run(environment, "run", "all", "--check");

      // Then every service would start: nothing was reached to find out
      assertThat(out.toString())
          .isEqualTo(
              "OK: ingest, dispatcher, sender, replies, audit, webhooks would start with these settings "
                  + "(nothing was connected).\n");
      assertThat(err.toString()).isEmpty();
      assertThat(exit).isZero();
    }
  }

  @Test
  void shouldListEveryProblemOnceWithTheServicesItStops() {
    // Given the settings of the docker-compose.yml: no ledger keys, blank Twilio
    Map<String, String> environment = new HashMap<>();
    environment.put("OPTIN_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
    environment.put("OPTIN_OTP_SECRET", "test-otp-secret-of-at-least-32-bytes!");
    environment.put("OPTIN_API_TOKENS", "t1");
    environment.put("OPTIN_TWILIO_ACCOUNT_SID", "");
    environment.put("OPTIN_TWILIO_AUTH_TOKEN", "");
    environment.put("OPTIN_TWILIO_FROM", "");

    // When
    int exit = run(environment, "run", "all", "--check");

    // Then
    assertThat(out.toString())
        .isEqualTo(
            "NOT OK: 5 problems stop ingest, dispatcher, sender, replies, audit, webhooks:\n"
                + "  - twilio.from or twilio.messaging.service.sid must be set: it is the sender of"
                + " every SMS (set OPTIN_TWILIO_FROM=+1... or twilio.from in the --config file)"
                + " (dispatcher, sender)\n"
                + "  - twilio.account.sid is not set: set it in the --config file or with the"
                + " environment variable OPTIN_TWILIO_ACCOUNT_SID (sender)\n"
                + "  - twilio.auth.token is required: it signs Twilio's status callbacks to the"
                + " sender (sender)\n"
                + "  - twilio.auth.token is not set: set it in the --config file or with the"
                + " environment variable OPTIN_TWILIO_AUTH_TOKEN (replies)\n"
                + "  - audit.signing.key is required: an Ed25519 private key, base64 PKCS#8"
                + " (`openssl genpkey -algorithm ed25519 -outform DER | base64 -w0`) (audit)\n");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void shouldReportMalformedValuesAndMissingTokens() {
    // Given a malformed master key, an unknown variable and no API tokens
    Map<String, String> environment = complete();
    environment.put("OPTIN_AUDIT_MASTER_KEY", "bm90LTMyLWJ5dGVz");
    environment.remove("OPTIN_API_TOKENS");

    // When
    int exit = run(environment, "run", "audit", "--check");

    // Then
    assertThat(out.toString())
        .isEqualTo(
            "NOT OK: 2 problems stop audit:\n"
                + "  - api.tokens must be set when audit runs: /v1/* (signups, verifications,"
                + " subscribers, consent export) would be open to anyone reaching the port; set"
                + " OPTIN_API_TOKENS=<token>[,<token>...] (only optin dev runs without tokens)\n"
                + "  - audit.master.key must be 32 bytes (base64), got 12 (generate one with"
                + " `openssl rand -base64 32`) (audit)\n");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void shouldReportSettingsThatDoNotLoad() {
    // Given an unknown variable and a value out of range
    Map<String, String> environment = complete();
    environment.put("OPTIN_OTP_LENGHT", "6");
    environment.put("OPTIN_OTP_LENGTH", "99");

    // When
    int exit = run(environment, "run", "replies", "--check");

    // Then
    assertThat(out.toString())
        .isEqualTo(
            "NOT OK: 2 problems stop replies:\n"
                + "  - unknown setting in environment variable OPTIN_OTP_LENGHT: no setting is"
                + " named 'otp.lenght' (did you mean otp.length?)\n"
                + "  - otp.length=99 from environment variable OPTIN_OTP_LENGTH: must be between 4"
                + " and 10\n");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void shouldReportAManagementPortThatIsTheHttpPort() {
    // Given
    Map<String, String> environment = complete();
    environment.put("OPTIN_HTTP_MANAGEMENT_PORT", "8080");

    // When
    int exit = run(environment, "run", "ingest", "--check");

    // Then
    assertThat(out.toString())
        .isEqualTo(
            "NOT OK: 1 problem stops ingest:\n"
                + "  - http.management.port=8080 from environment variable"
                + " OPTIN_HTTP_MANAGEMENT_PORT is also http.port: the management port must be"
                + " another port (or -1 for none, 0 for any free port); set"
                + " OPTIN_HTTP_MANAGEMENT_PORT=<port>\n");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void shouldSayOkWithAManagementPortOfItsOwn() {
    // Given
    Map<String, String> environment = complete();
    environment.put("OPTIN_HTTP_MANAGEMENT_PORT", "8558");

    // When
    int exit = run(environment, "run", "ingest", "--check");

    // Then
    assertThat(out.toString())
        .isEqualTo("OK: ingest would start with these settings (nothing was connected).\n");
    assertThat(exit).isZero();
  }

  @Test
  void shouldRefuseToStartWhatTheCheckRefuses() {
    // Given settings the check refuses for the sender
    Map<String, String> environment = complete();
    environment.remove("OPTIN_TWILIO_ACCOUNT_SID");
    environment.put("OPTIN_PUBLIC_BASE_URL", "http://bad host/");
    Settings settings = Settings.load(OptinSettings.CATALOGUE, Optional.empty(), environment);
    EnumSet<ServiceName> sender = EnumSet.of(ServiceName.SENDER);
    assertThat(ServiceChecks.problems(settings, sender)).hasSize(2);

    // Then the start refuses them, every one, before anything connects
    assertThatThrownBy(() -> OptinServices.start(settings, sender, OptinMetrics.unexposed()))
        .isInstanceOf(SettingsException.class)
        .satisfies(
            refusal ->
                assertThat(((SettingsException) refusal).problems())
                    .containsExactlyElementsOf(
                        ServiceChecks.problems(settings, sender).stream()
                            .map(ServiceChecks.Problem::toString)
                            .toList()));
  }

  /** Everything every service needs, pointed at addresses nobody listens on. */
  private static Map<String, String> complete() {
    Map<String, String> environment = new HashMap<>();
    environment.put("OPTIN_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
    environment.put("OPTIN_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1");
    environment.put("OPTIN_OTP_SECRET", "test-otp-secret-of-at-least-32-bytes!");
    environment.put("OPTIN_API_TOKENS", "t1");
    environment.put("OPTIN_TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32));
    environment.put("OPTIN_TWILIO_AUTH_TOKEN", "test-auth-token");
    environment.put("OPTIN_TWILIO_FROM", "+15005550006");
    environment.put("OPTIN_AUDIT_MASTER_KEY", MasterKey.generate().toBase64());
    environment.put("OPTIN_AUDIT_SIGNING_KEY", CheckpointSigningKey.generate().toBase64());
    return environment;
  }

  private int run(Map<String, String> environment, String... args) {
    CommandLine line = OptinCommand.commandLine(environment);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }
}
