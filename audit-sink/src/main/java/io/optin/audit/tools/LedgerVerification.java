package io.optin.audit.tools;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.ledger.ChainBreak;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.ledger.LedgerVerifier;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * {@code optin audit verify} over the topic: the whole ledger through the {@link LedgerVerifier},
 * against the latest checkpoint of each partition; a record that does not even decode is a break
 * too.
 */
public final class LedgerVerification {

  private LedgerVerification() {}

  public static LedgerVerdict verifyTopic(LedgerTopics topics, CheckpointPublicKey publicKey)
      throws TimeoutException {
    LedgerVerifier verifier = new LedgerVerifier(publicKey, topics.latestCheckpoints());
    ChainBreak[] undecodable = new ChainBreak[1];
    boolean[] stopped = new boolean[1];
    topics.forEachRaw(
        raw -> {
          if (stopped[0]) {
            return;
          }
          try {
            stopped[0] = !verifier.accept(topics.decode(raw));
          } catch (SerializationException e) {
            undecodable[0] =
                new ChainBreak(
                    raw.partition(),
                    raw.offset(),
                    null,
                    "the record does not decode as a ConsentAuditRecord: " + e.getMessage());
            stopped[0] = true;
          }
        });
    return undecodable[0] != null ? undecodable[0] : verifier.finish();
  }
}
