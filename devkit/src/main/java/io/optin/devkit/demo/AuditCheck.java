package io.optin.devkit.demo;

/**
 * How the demo verifies the consent ledger at the end of a run (the chains and checkpoints, as
 * docs/demo.md says); a broken chain fails the demo.
 */
@FunctionalInterface
public interface AuditCheck {

  /** Verifies {@code optin.consent-audit.v1} of the demo's stack. */
  Verdict verify(DemoStack stack);

  /**
   * @param broken true when the chain was checked and found altered or incomplete: the demo then
   *     fails
   * @param description one line for the summary
   */
  record Verdict(boolean broken, String description) {}
}
