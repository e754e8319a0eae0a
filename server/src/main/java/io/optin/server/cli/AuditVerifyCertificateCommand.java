package io.optin.server.cli;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.tools.ConsentCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optin audit verify-certificate FILE}: checks a consent certificate offline, with nothing
 * but the checkpoint public key.
 */
@Command(
    name = "verify-certificate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a consent certificate offline: its Ed25519 signature with the checkpoint public key, that "
          + "the readable page shows exactly what the signed payload says, that every record hashes again "
          + "from its fields and the records chain, and the checkpoint's signature.",
      "Exit 0 with 'certificate valid: ...'; 1 naming what does not match."
    })
public final class AuditVerifyCertificateCommand implements Callable<Integer> {

  @Mixin private AuditToolSettings tool;

  @Parameters(index = "0", paramLabel = "FILE", description = "The certificate.")
  private Path file;

  @Option(
      names = "--public-key",
      paramLabel = "BASE64",
      description =
          "Ed25519 public key (X.509, base64) of the checkpoints (setting audit.signing.public.key).")
  private String publicKey;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    CheckpointPublicKey key = tool.publicKey(publicKey);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      spec.commandLine().getErr().println("optin: cannot read " + file + ": " + e.getMessage());
      spec.commandLine().getErr().flush();
      return FailureHandler.FAILED;
    }
    ConsentCertificate.Verdict verdict = ConsentCertificate.verify(bytes, key);
    if (verdict.valid()) {
      spec.commandLine().getOut().println(verdict.message());
      spec.commandLine().getOut().flush();
      return 0;
    }
    spec.commandLine().getErr().println("certificate INVALID: " + verdict.message());
    spec.commandLine().getErr().flush();
    return FailureHandler.FAILED;
  }
}
