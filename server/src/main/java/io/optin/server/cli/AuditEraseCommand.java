package io.optin.server.cli;

import io.optin.audit.tools.ErasureReceipt;
import io.optin.audit.tools.LedgerEraser;
import io.optin.audit.tools.LedgerTopics;
import io.optin.avro.ConsentAuditRecord;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.config.DurationText;
import io.optin.schemas.serde.AvroSerdes;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin audit erase --phone +…}: destroys the subject's data key through the ledger's writer
 * and waits for the ERASED record; the ledger still verifies afterwards.
 */
@Command(
    name = "erase",
    mixinStandardHelpOptions = true,
    description = {
      "Erase one phone's personal data from the ledger (crypto-shredding): the audit sink destroys the "
          + "subject's data key and appends an ERASED record to its chain. Consent text, outcomes and hashes stay, "
          + "so the ledger still verifies; the phone, IP, user agent, URL and messages become unreadable everywhere.",
      "The same request makes the dispatcher and the reply processor forget the phone, and the reply processor "
          + "write tombstones for its keys on optin.subscriber-status.v1 and optin.confirmed-subscribers.v1; "
          + "the topics still holding the phone until retention or compaction are listed in docs/privacy.md.",
      "The audit sink must be running. Exit 1 when the ERASED record does not appear within --wait."
    })
public final class AuditEraseCommand implements Callable<Integer> {

  @Mixin private AuditToolSettings tool;

  @Option(
      names = "--phone",
      required = true,
      paramLabel = "E164",
      description = "The phone, e.g. +14155550123.")
  private String phone;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description =
          "Why, recorded in the ERASED record (no personal " + "data), e.g. a ticket reference.")
  private String reason;

  @Option(
      names = "--requested-by",
      paramLabel = "WHO",
      description = "Who asked, recorded in the ERASED record.")
  private String requestedBy;

  @Option(
      names = "--wait",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "How long to wait for the ERASED record (default ${DEFAULT-VALUE}; 0s to not wait).")
  private String waitText;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration wait = DurationText.parse(waitText);
    AvroSerdes serdes = tool.serdes();
    LedgerTopics topics = tool.topics(serdes);
    LedgerEraser eraser = new LedgerEraser(tool.kafka(), serdes, tool.subjects());
    ErasureReceipt receipt = eraser.erase(phone, requestedBy, reason, Instant.now(), topics);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Erasure of %s requested: request %s, subject %s, partition %d offset %d%n",
        PhoneMask.mask(phone),
        receipt.requestId(),
        receipt.subjectKey(),
        receipt.partition(),
        receipt.offset());
    out.flush();
    if (wait.isZero()) {
      return 0;
    }
    Optional<ConsentAuditRecord> erased = eraser.awaitErased(receipt, phone, topics, wait);
    if (erased.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "optin: no ERASED record within "
                  + waitText
                  + ": is the audit sink running?"
                  + " The request stays queued and is applied when it runs.");
      spec.commandLine().getErr().flush();
      return FailureHandler.FAILED;
    }
    out.printf(
        "ERASED recorded: event %s, subject sequence %d, hash %s%n",
        erased.get().getEventId(), erased.get().getSequence(), erased.get().getHash());
    out.flush();
    return 0;
  }
}
