package io.optin.app.demo;

import io.optin.schemas.serde.AvroSerdes;

/**
 * The demo's hook for verifying the consent audit's hash chain at the end of a run (DESIGN.md §8: "verifies the
 * audit chain"). The ledger work plugs its verifier in here; until then {@link #NOT_AVAILABLE} says so.
 */
@FunctionalInterface
public interface AuditCheck {

  /** Said when no verifier is plugged in yet; it never fails the demo. */
  AuditCheck NOT_AVAILABLE = (bootstrapServers, serdes) -> new Verdict(false, "not verified: the hash-chain "
      + "verifier is not part of this build yet");

  /** Verifies {@code optin.consent-audit.v1} on the demo's broker. */
  Verdict verify(String bootstrapServers, AvroSerdes serdes);

  /**
   * @param broken true when the chain was checked and found altered or incomplete: the demo then fails
   * @param description one line for the summary
   */
  record Verdict(boolean broken, String description) {}
}
