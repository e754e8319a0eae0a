package io.optin.server.cli;

import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_JDBC_PASSWORD;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_JDBC_USER;

import io.optin.audit.archive.ArchiveStoreException;
import io.optin.audit.archive.ArchiveVerification;
import io.optin.audit.archive.JdbcTarget;
import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.tools.LedgerVerification;
import io.optin.avro.LedgerCheckpoint;
import io.optin.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin audit verify}: checks the whole ledger, on its topic or in an archive (segment
 * files, PostgreSQL); exit 1 on the first break, naming the record.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the consent ledger on its topic, or in an archive (--files DIR, --jdbc URL): every record's "
          + "hash, both hash chains (per subject and per partition), every signed checkpoint, and that no partition "
          + "ends before its latest checkpoint. An archive's own integrity (segment SHA-256 manifests, JSON and "
          + "columns against the exact value bytes) is checked first.",
      "Exit 0 when intact; 1 on the first break, naming its partition, offset and eventId."
    })
public final class AuditVerifyCommand implements Callable<Integer> {

  @Mixin private AuditToolSettings tool;

  @Option(
      names = "--public-key",
      paramLabel = "BASE64",
      description =
          "Ed25519 public key (X.509, base64) of the checkpoints (setting audit.signing.public.key).")
  private String publicKey;

  @ArgGroup(exclusive = true)
  private Archive archive;

  @Option(
      names = "--offline",
      description =
          "With --files or --jdbc: do not read the latest checkpoints from "
              + "the checkpoint topic; a cut tail then goes unnoticed.")
  private boolean offline;

  @Spec private CommandSpec spec;

  /** Which archive to verify instead of the topic. */
  static final class Archive {
    @Option(
        names = "--files",
        paramLabel = "DIR",
        required = true,
        description = "The segment-file archive directory (setting audit.archive.dir).")
    Path files;

    @Option(
        names = "--jdbc",
        paramLabel = "URL",
        required = true,
        description =
            "The PostgreSQL archive (jdbc:postgresql://...); user and password from audit.archive.jdbc.*.")
    String jdbc;
  }

  @Override
  public Integer call() {
    CheckpointPublicKey key = tool.publicKey(publicKey);
    PrintWriter out = spec.commandLine().getOut();
    try {
      String verdict;
      boolean passed;
      if (archive == null) {
        out.printf(
            "Verifying %s on %s with checkpoint key %s%n",
            Topics.CONSENT_AUDIT.name(), tool.bootstrapServers(), key.keyId());
        out.flush();
        LedgerVerdict ledger = LedgerVerification.verifyTopic(tool.topics(tool.serdes()), key);
        verdict = ledger.describe();
        passed = ledger.passed();
      } else {
        Collection<LedgerCheckpoint> checkpoints =
            offline ? List.of() : tool.topics(tool.serdes()).latestCheckpoints();
        out.printf(
            "Verifying the archive %s with checkpoint key %s and %s%n",
            archive.files != null
                ? archive.files
                : new JdbcTarget(archive.jdbc, null, null).describe(),
            key.keyId(),
            offline
                ? "no latest checkpoint (offline: a cut tail goes unnoticed)"
                : checkpoints.size()
                    + " latest checkpoint(s) from "
                    + Topics.CONSENT_CHECKPOINTS.name());
        out.flush();
        ArchiveVerification.ArchiveVerdict archived =
            archive.files != null
                ? ArchiveVerification.files(archive.files, key, checkpoints)
                : ArchiveVerification.jdbc(jdbc(), key, checkpoints);
        verdict = archived.describe();
        passed = archived.passed();
      }
      out.println(verdict);
      out.flush();
      return passed ? 0 : FailureHandler.FAILED;
    } catch (TimeoutException | ArchiveStoreException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("optin: cannot read the ledger: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return FailureHandler.FAILED;
    }
  }

  private JdbcTarget jdbc() {
    return new JdbcTarget(
        archive.jdbc,
        tool.settings().optional(AUDIT_ARCHIVE_JDBC_USER).orElse(null),
        tool.settings().optional(AUDIT_ARCHIVE_JDBC_PASSWORD).orElse(null));
  }
}
