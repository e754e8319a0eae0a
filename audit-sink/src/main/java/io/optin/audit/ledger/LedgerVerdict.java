package io.optin.audit.ledger;

/**
 * The outcome of verifying a ledger: a {@link VerificationReport} when intact, else the first
 * {@link ChainBreak}.
 */
public sealed interface LedgerVerdict permits VerificationReport, ChainBreak {

  /** Whether no break was found. */
  boolean passed();

  /** One line for a person: what was checked, or where and why the ledger breaks. */
  String describe();
}
