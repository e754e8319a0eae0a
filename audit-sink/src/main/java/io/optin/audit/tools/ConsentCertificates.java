package io.optin.audit.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.avro.LedgerCheckpoint;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.otp.SubjectKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Issues consent certificates from the ledger topic: only over a ledger that verifies whole with
 * the signing key's public half, for a phone (and program) the ledger knows, with the latest signed
 * checkpoint of the subject's partition.
 */
public final class ConsentCertificates {

  private final LedgerTopics topics;
  private final SubjectKeys subjects;
  private final MasterKey master;
  private final CheckpointSigningKey signing;
  private final Map<String, String> brands;
  private final Clock clock;

  public ConsentCertificates(
      LedgerTopics topics,
      SubjectKeys subjects,
      MasterKey master,
      CheckpointSigningKey signing,
      Map<String, String> brands,
      Clock clock) {
    this.topics = topics;
    this.subjects = subjects;
    this.master = master;
    this.signing = signing;
    this.brands = Map.copyOf(brands);
    this.clock = clock;
  }

  /** A certificate, or why none was issued. */
  public sealed interface Result {}

  /** The certificate file: HTML (UTF-8) or PDF. */
  public record Issued(byte[] content) implements Result {}

  /** Why no certificate was issued. */
  public record Refused(String reason) implements Result {}

  /**
   * The certificate of {@code phone} (E.164) for {@code programId} (null: every program), as PDF
   * when {@code pdf}, else HTML.
   *
   * @throws TimeoutException when the ledger cannot be read to its end
   */
  public Result issue(String phone, String programId, boolean maskPhone, boolean pdf)
      throws TimeoutException {
    LedgerVerdict verdict = LedgerVerification.verifyTopic(topics, signing.publicKey());
    if (!verdict.passed()) {
      return new Refused(
          "the ledger does not verify, no certificate issued: " + verdict.describe());
    }
    ConsentExport export = new ConsentExports(topics, subjects, master, clock).export(phone);
    if (export.isEmpty()
        || (programId != null
            && export.outcomes().stream().noneMatch(o -> o.programId().equals(programId)))) {
      return new Refused(
          "the ledger holds no consent record for "
              + PhoneMask.mask(phone)
              + (programId == null ? "" : " in program " + programId));
    }
    Integer partition = export.steps().get(0).record().getSourcePartition();
    LedgerCheckpoint checkpoint =
        topics.latestCheckpoints().stream()
            .filter(c -> partition != null && c.getPartition() == partition)
            .findFirst()
            .orElse(null);
    ConsentProof.Scope scope =
        new ConsentProof.Scope(
            programId,
            maskPhone,
            brands,
            new ConsentProof.LedgerCheck(
                true, verdict.describe(), signing.publicKey().keyId(), checkpoint));
    ObjectNode proof = ConsentProof.of(export, scope, export.exportedAt());
    return new Issued(
        pdf
            ? ConsentCertificate.issuePdf(proof, signing)
            : ConsentCertificate.issue(proof, signing).getBytes(StandardCharsets.UTF_8));
  }

  /** programId -> brand from {@code programs.brands} pairs ({@code id=Brand}). */
  public static Map<String, String> brands(List<String> pairs) {
    Map<String, String> brands = new HashMap<>();
    for (String pair : pairs) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        brands.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
    }
    return brands;
  }
}
