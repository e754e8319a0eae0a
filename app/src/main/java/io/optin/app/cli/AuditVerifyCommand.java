package io.optin.app.cli;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.tools.LedgerVerification;
import io.optin.schemas.Topics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optin audit verify}: checks the whole ledger topic; exit 1 on the first break, naming the record. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verify the consent ledger on its topic: every record's hash, both hash chains (per subject and per "
        + "partition), every signed checkpoint, and that no partition ends before its latest checkpoint.",
        "Exit 0 when intact; 1 on the first break, naming its partition, offset and eventId."})
public final class AuditVerifyCommand implements Callable<Integer> {

  @Mixin
  private AuditToolSettings tool;

  @Option(names = "--public-key", paramLabel = "BASE64",
      description = "Ed25519 public key (X.509, base64) of the checkpoints (setting audit.signing.public.key).")
  private String publicKey;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    CheckpointPublicKey key = tool.publicKey(publicKey);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Verifying %s on %s with checkpoint key %s%n", Topics.CONSENT_AUDIT.name(), tool.bootstrapServers(),
        key.keyId());
    out.flush();
    LedgerVerdict verdict;
    try {
      verdict = LedgerVerification.verifyTopic(tool.topics(tool.serdes()), key);
    } catch (TimeoutException e) {
      spec.commandLine().getErr().println("optin: cannot read the ledger: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return FailureHandler.FAILED;
    }
    out.println(verdict.describe());
    out.flush();
    return verdict.passed() ? 0 : FailureHandler.FAILED;
  }
}
