package io.optin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.server.OptinCommand;
import io.optin.server.OptinSettings;
import io.optin.server.keys.EnvFile;
import io.optin.server.keys.GeneratedSecrets;
import io.optin.server.stack.ServiceChecks;
import io.optin.server.stack.ServiceName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optin keys generate} writes fresh secrets the settings accept, readable by the owner only,
 * never over an existing file unless forced, and never prints them.
 */
class KeysGenerateCommandTest {

  private static final List<String> GENERATED =
      List.of(
          "OPTIN_OTP_SECRET",
          "OPTIN_AUDIT_SUBJECT_SECRET",
          "OPTIN_AUDIT_MASTER_KEY",
          "OPTIN_AUDIT_SIGNING_KEY",
          "OPTIN_API_TOKENS");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldWriteSecretsThatEveryServiceAcceptsForItsOwnerOnly() throws IOException {
    // Given a directory that does not exist yet (created for its owner alone)
    Path file = dir.resolve("secrets/.env");

    // When
    int exit = run("keys", "generate", "--out", file.toString());

    // Then the file holds one value per generated secret, for its owner alone
    assertThat(exit).isZero();
    Map<String, String> values = EnvFile.parse(Files.readString(file)).values();
    assertThat(values.keySet()).containsExactlyElementsOf(GENERATED);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    // And with Twilio's settings added, every service would start on them
    Map<String, String> environment = new HashMap<>(values);
    environment.put("OPTIN_TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32));
    environment.put("OPTIN_TWILIO_AUTH_TOKEN", "test-auth-token");
    environment.put("OPTIN_TWILIO_FROM", "+15005550006");
    Settings settings = Settings.load(OptinSettings.CATALOGUE, Optional.empty(), environment);
    assertThat(ServiceChecks.problems(settings, EnumSet.allOf(ServiceName.class))).isEmpty();
    // And the ledger keys are the ones the printed public key verifies
    LedgerKeys keys = LedgerKeys.from(settings);
    String publicKey = keys.signing().publicKey().toBase64();
    assertThat(publicKey)
        .isEqualTo(
            CheckpointSigningKey.fromBase64(values.get("OPTIN_AUDIT_SIGNING_KEY"))
                .publicKey()
                .toBase64());
    assertThat(out.toString())
        .isEqualTo(
            "Wrote "
                + file
                + " (readable by its owner only)\n"
                + "  generated  "
                + String.join(", ", GENERATED)
                + "\n"
                + "Auditors verify the ledger's checkpoints with audit.signing.public.key="
                + publicKey
                + "\n");
    // And no secret is printed
    values.values().forEach(secret -> assertThat(out.toString()).doesNotContain(secret));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldLeaveTheDirectoryItWritesInAsItIs() throws IOException {
    // Given a directory others may read, like a checkout
    Path checkout = Files.createDirectory(dir.resolve("checkout"));
    Files.setPosixFilePermissions(checkout, PosixFilePermissions.fromString("rwxr-xr-x"));

    // When
    int exit = run("keys", "generate", "--out", checkout.resolve(".env").toString());

    // Then only the file is its owner's alone
    assertThat(exit).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkout)))
        .isEqualTo("rwxr-xr-x");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(checkout.resolve(".env"))))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldGenerateEverySecretOptinCanMakeItself() {
    // Given every secret setting of the production command
    Set<String> secrets =
        OptinSettings.CATALOGUE.all().stream()
            .filter(Setting::isSecret)
            .map(Setting::key)
            .collect(Collectors.toCollection(TreeSet::new));

    // Then those not generated are the ones others issue: Twilio, the registry, the database
    secrets.removeAll(GeneratedSecrets.SETTINGS.stream().map(Setting::key).toList());
    assertThat(secrets)
        .containsExactly(
            "audit.archive.jdbc.password",
            "schema.registry.basic.auth.user.info",
            "schema.registry.bearer.token",
            "schema.registry.oauth.client.secret",
            "schema.registry.ssl.key.password",
            "schema.registry.ssl.keystore.password",
            "schema.registry.ssl.truststore.password",
            "twilio.api.key.secret",
            "twilio.auth.token",
            "webhooks.secret");
    assertThat(GeneratedSecrets.generate().byVariable().keySet())
        .containsExactlyElementsOf(GENERATED);
  }

  @Test
  void shouldGenerateOtherSecretsEachTime() throws IOException {
    // When
    run("keys", "generate", "--out", dir.resolve("a.env").toString());
    run("keys", "generate", "--out", dir.resolve("b.env").toString());

    // Then no value is shared
    Map<String, String> first = EnvFile.parse(Files.readString(dir.resolve("a.env"))).values();
    Map<String, String> second = EnvFile.parse(Files.readString(dir.resolve("b.env"))).values();
    for (String name : GENERATED) {
      assertThat(first.get(name)).as(name).isNotEqualTo(second.get(name)).isNotBlank();
    }
  }

  @Test
  void shouldRefuseToOverwriteAFileUnlessForced() throws IOException {
    // Given an existing env file
    Path file = Files.writeString(dir.resolve(".env"), "OPTIN_OTP_SECRET=kept\n");

    // When
    int refused = run("keys", "generate", "--out", file.toString());

    // Then it is left as it was
    assertThat(refused).isEqualTo(1);
    assertThat(Files.readString(file)).isEqualTo("OPTIN_OTP_SECRET=kept\n");
    assertThat(err.toString())
        .isEqualTo("optin: " + file + " exists; not overwritten (--force replaces it)\n");
    assertThat(out.toString()).isEmpty();

    // When forced
    int forced = run("keys", "generate", "--out", file.toString(), "--force");

    // Then it is replaced, for its owner only
    assertThat(forced).isZero();
    assertThat(EnvFile.parse(Files.readString(file)).values().keySet())
        .containsExactlyElementsOf(GENERATED);
    assertThat(EnvFile.parse(Files.readString(file)).values().get("OPTIN_OTP_SECRET"))
        .isNotEqualTo("kept");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldFillATemplateKeepingItsCommentsAndItsValues() throws IOException {
    // Given a template with comments, a secret already set, blank secrets and blank Twilio
    Path template =
        Files.writeString(
            dir.resolve(".env.example"),
            "# secrets\n"
                + "OPTIN_OTP_SECRET=\n"
                + "OPTIN_API_TOKENS=token-of-the-platform\n"
                + "\n"
                + "# Twilio\n"
                + "OPTIN_TWILIO_ACCOUNT_SID=\n"
                + "OPTIN_TWILIO_FROM=+15005550006\n");
    Path file = dir.resolve(".env");

    // When
    int exit = run("keys", "generate", "--template", template.toString(), "--out", file.toString());

    // Then the template's lines are kept, blank secrets filled, missing ones appended
    assertThat(exit).isZero();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(10);
    assertThat(lines.get(0)).isEqualTo("# secrets");
    assertThat(lines.get(1)).startsWith("OPTIN_OTP_SECRET=").hasSizeGreaterThan(40);
    assertThat(lines.subList(2, 7))
        .containsExactly(
            "OPTIN_API_TOKENS=token-of-the-platform",
            "",
            "# Twilio",
            "OPTIN_TWILIO_ACCOUNT_SID=",
            "OPTIN_TWILIO_FROM=+15005550006");
    assertThat(lines.subList(7, 10))
        .extracting(line -> line.substring(0, line.indexOf('=')))
        .containsExactly(
            "OPTIN_AUDIT_SUBJECT_SECRET", "OPTIN_AUDIT_MASTER_KEY", "OPTIN_AUDIT_SIGNING_KEY");
    // And it says what it generated, what it kept and what is left to fill
    assertThat(out.toString())
        .startsWith(
            "Wrote "
                + file
                + " (readable by its owner only)\n"
                + "  generated  OPTIN_OTP_SECRET, OPTIN_AUDIT_SUBJECT_SECRET, "
                + "OPTIN_AUDIT_MASTER_KEY, OPTIN_AUDIT_SIGNING_KEY\n"
                + "  kept       OPTIN_API_TOKENS (set in the template)\n"
                + "  to fill    OPTIN_TWILIO_ACCOUNT_SID\n"
                + "Auditors verify the ledger's checkpoints with audit.signing.public.key=");
  }

  @Test
  void shouldRefuseATemplateEnvFileReadersWouldReadDifferently() throws IOException {
    // Given a quoted value
    Path template = Files.writeString(dir.resolve("t.env"), "OPTIN_TWILIO_FROM=\"+1500\"\n");

    // When
    int exit =
        run(
            "keys",
            "generate",
            "--template",
            template.toString(),
            "--out",
            dir.resolve(".env").toString());

    // Then nothing is written
    assertThat(exit).isEqualTo(1);
    assertThat(dir.resolve(".env")).doesNotExist();
    assertThat(err.toString())
        .isEqualTo(
            "optin: cannot use the template "
                + template
                + ": line 1 (OPTIN_TWILIO_FROM): quotes and inline comments are read differently "
                + "by env file readers\n");
  }

  private int run(String... args) {
    CommandLine line = OptinCommand.commandLine(Map.of());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }
}
