package io.optin.server.cli;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.tools.ConsentCertificates;
import io.optin.domain.otp.PhoneMask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin audit certificate --phone +… --output FILE}: a self-contained consent certificate,
 * issued only over a ledger that verifies, signed with the checkpoint key.
 */
@Command(
    name = "certificate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a self-contained consent certificate for one subscriber (and program): a summary (phone, "
          + "program and brand, the consent text as shown, where and when, the outcome, ledger verified "
          + "with the key fingerprint), the timeline of every step and channel, the signup's evidence, "
          + "and the ledger hashes with the latest signed checkpoint; it embeds a machine-readable "
          + "payload signed with the checkpoint key (audit.signing.key). Check it with "
          + "'optin audit verify-certificate'.",
      "The whole ledger is verified first. Exit 1 when it does not verify or holds nothing for the "
          + "phone (and program)."
    })
public final class AuditCertificateCommand implements Callable<Integer> {

  /** The certificate's formats. */
  enum Format {
    html,
    pdf
  }

  @Mixin private AuditToolSettings tool;

  @Option(
      names = "--phone",
      required = true,
      paramLabel = "E164",
      description = "The phone, e.g. +14155550123.")
  private String phone;

  @Option(
      names = "--program",
      paramLabel = "ID",
      description = "Only this program (default: every program of the subscriber).")
  private String program;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the certificate.")
  private Path output;

  @Option(
      names = "--format",
      defaultValue = "html",
      description =
          "html (default; self-contained, prints on A4 and Letter) or pdf (A4, fits Letter;"
              + " payload and signature embedded as files).")
  private Format format;

  @Option(names = "--mask-phone", description = "Show the phone masked (+1415*****23).")
  private boolean maskPhone;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CheckpointSigningKey signing = tool.signingKey();
    ConsentCertificates.Result result;
    try {
      result =
          new ConsentCertificates(
                  tool.topics(tool.serdes()),
                  tool.subjects(),
                  tool.master(),
                  signing,
                  tool.brands(),
                  Clock.systemUTC())
              .issue(phone, program, maskPhone, format == Format.pdf);
    } catch (TimeoutException e) {
      return failed("cannot read the ledger: " + e.getMessage());
    }
    if (result instanceof ConsentCertificates.Refused refused) {
      return failed(refused.reason());
    }
    Files.write(output, ((ConsentCertificates.Issued) result).content());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Consent certificate for %s written to %s (%s, signed by key %s)%n",
        PhoneMask.mask(phone), output, format, signing.publicKey().keyId());
    out.flush();
    return 0;
  }

  private int failed(String message) {
    spec.commandLine().getErr().println("optin: " + message);
    spec.commandLine().getErr().flush();
    return FailureHandler.FAILED;
  }
}
