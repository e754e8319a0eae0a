package io.optin.devkit.demo;

import io.optin.audit.AuditSettings;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.tools.ConsentCertificates;
import io.optin.audit.tools.LedgerTopics;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The demo's consent certificate: {@code optin audit certificate} for one confirmed subscriber,
 * written outside the demo's data directory (which is deleted at the end) so it can be opened and
 * checked afterwards.
 */
final class DemoCertificate {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private DemoCertificate() {}

  /** One line for the demo's output: where the certificate is and how to check it, or why not. */
  static String issue(DemoStack stack, DemoSubscriber subscriber) {
    Settings settings = stack.settings();
    if (settings == null) {
      return "Consent certificate: not available on this stack.";
    }
    LedgerKeys keys = LedgerKeys.from(settings);
    ConsentCertificates certificates =
        new ConsentCertificates(
            new LedgerTopics(
                Map.of("bootstrap.servers", stack.bootstrapServers()),
                stack.serdes(),
                READ_TIMEOUT),
            AuditSettings.subjectKeys(settings),
            keys.master(),
            keys.signing(),
            ConsentCertificates.brands(settings.list(DispatcherSettings.PROGRAMS_BRANDS)),
            Clock.systemUTC());
    try {
      ConsentCertificates.Result result =
          certificates.issue(subscriber.phone(), subscriber.programId(), true, false);
      if (result instanceof ConsentCertificates.Refused refused) {
        return "Consent certificate: none issued: " + refused.reason();
      }
      Path file = Files.createTempFile("optin-demo-certificate-", ".html");
      Files.write(file, ((ConsentCertificates.Issued) result).content());
      return String.format(
          "Consent certificate of subscriber %d (%s, %s) written to %s%n"
              + "  check it offline: optin audit verify-certificate %s --public-key %s",
          subscriber.number(),
          PhoneMask.mask(subscriber.phone()),
          subscriber.programId(),
          file,
          file,
          keys.publicKey().toBase64());
    } catch (TimeoutException | IOException e) {
      return "Consent certificate: none issued: " + e.getMessage();
    }
  }
}
