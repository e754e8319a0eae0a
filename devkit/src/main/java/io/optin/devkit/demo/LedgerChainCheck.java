package io.optin.devkit.demo;

import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.tools.LedgerTopics;
import io.optin.audit.tools.LedgerVerification;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Verifies the demo's ledger as an auditor would with {@code optin audit verify}: both chains and
 * the checkpoints.
 */
public final class LedgerChainCheck implements AuditCheck {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public Verdict verify(DemoStack stack) {
    LedgerTopics topics =
        new LedgerTopics(
            Map.of("bootstrap.servers", stack.bootstrapServers()), stack.serdes(), READ_TIMEOUT);
    try {
      LedgerVerdict verdict = LedgerVerification.verifyTopic(topics, stack.ledgerPublicKey());
      return new Verdict(
          !verdict.passed(), (verdict.passed() ? "verified: " : "BROKEN: ") + verdict.describe());
    } catch (TimeoutException e) {
      return new Verdict(
          true, "could not be read to its end within " + READ_TIMEOUT.toSeconds() + " s");
    }
  }
}
