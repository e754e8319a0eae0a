package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.DevkitCommand;
import io.optin.devkit.demo.DemoPath;
import io.optin.server.cli.FailureHandler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code optin demo} run in-process, for real: its own broker, registry, sandbox and services on
 * free ports.
 */
// Heavy (a whole stack driven through every path on timed windows): runs with -Psystem.
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DemoIT {

  @Test
  void shouldDriveThreeSubscribersThroughEveryPathAndFindEveryOutcomeOnTheTopics()
      throws Exception {
    // Given the command line as main runs it, with an empty environment
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command =
        DevkitCommand.commandLine(Map.of())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));

    // When 3 subscribers per path (10 paths) run with a 20 s window: a fallback answer comes after
    // the SMS failed, the next channel was asked and reached the phone, 5 to 10 s on a busy machine
    // (--verbose: leave the JVM's log levels alone)
    int exit = command.execute("demo", "--subscribers", "30", "--window", "20s", "--verbose");

    // Then every path ended as it must, counted from the topics
    String output = out.toString();
    assertThat(exit).as(output + err).isZero();
    for (DemoPath path : DemoPath.values()) {
      assertThat(output)
          .containsPattern(
              Pattern.quote(path.label())
                  + " +3  "
                  + Pattern.quote(path.expected())
                  + " +3  OK\\R");
    }
    assertThat(output)
        .containsPattern("TOTAL +30 +30  OK\\R")
        .contains("PASSED: all 30 subscribers ended as their path requires.")
        .contains("Confirmations of no demo subscriber: 0.")
        .containsPattern("Consent audit: \\d+ records \\(REQUESTED \\d+, ")
        // and the ledger's two hash chains and signed checkpoints verified as an auditor would
        .containsPattern(
            "Audit chain: verified: ledger intact: \\d+ records, \\d+ subjects, [1-6] partitions, "
                + "[1-9]\\d* checkpoints checked");
    // 6 paths receive a code by SMS; 3 of them confirm, and so do the landline (by voice) and the
    // filtered one (on WhatsApp)
    assertThat(output)
        .containsPattern("signup accepted -> SMS at phone +18 ")
        .containsPattern("answer sent -> confirmation +15 ");
    // the progress line, written plainly since the output is no terminal
    assertThat(output).containsPattern("signups 30/30 .* as expected 30/30\\R");
    // and a consent certificate of one confirmed subscriber, which verifies offline as printed
    Matcher certificate =
        Pattern.compile(
                "Consent certificate of subscriber \\d+ \\(\\+\\d+\\*+\\d+, [^)]+\\) written to (\\S+)\\R"
                    + "  check it offline: optin audit verify-certificate \\1 --public-key (\\S+)\\R")
            .matcher(output);
    assertThat(certificate.find()).as(output).isTrue();
    StringWriter verified = new StringWriter();
    int valid =
        DevkitCommand.commandLine(Map.of())
            .setOut(new PrintWriter(verified, true))
            .setErr(new PrintWriter(verified, true))
            .execute(
                "audit",
                "verify-certificate",
                certificate.group(1),
                "--public-key",
                certificate.group(2));
    assertThat(valid).as(verified.toString()).isZero();
    assertThat(verified.toString())
        .startsWith("certificate valid: +")
        .contains(" CONFIRMED since ", "hashes recomputed", "signature verified");
    // and it shows the evidence the subscriber's signup carried over HTTP, opened from the ledger
    assertThat(Files.readString(Path.of(certificate.group(1))))
        .contains(
            "<td data-fact=\"trusted-form\">https://cert.trustedform.com/demo",
            "<td data-fact=\"jornaya\">0DE0D0E0-0000-4000-8000-");
    Files.delete(Path.of(certificate.group(1)));
  }

  @Test
  void shouldRefuseASizeThatCannotCoverEveryPath() {
    StringWriter err = new StringWriter();
    CommandLine command = DevkitCommand.commandLine(Map.of()).setErr(new PrintWriter(err, true));

    int exit = command.execute("demo", "--subscribers", "9");

    assertThat(exit).isEqualTo(FailureHandler.BAD_SETTINGS);
    assertThat(err.toString())
        .contains("optin demo: the demo drives 10 (one per path) to 1000 subscribers, not 9");
  }
}
