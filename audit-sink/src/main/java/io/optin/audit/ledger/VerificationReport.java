package io.optin.audit.ledger;

/**
 * What an intact ledger verification checked.
 *
 * @param records ledger records whose hashes and both chain links were checked
 * @param subjects distinct subject chains
 * @param partitions ledger partitions (chains) seen or named by a checkpoint
 * @param checkpoints signed checkpoints checked against the chains (in-band records and the latest
 *     ones given)
 */
public record VerificationReport(long records, long subjects, int partitions, long checkpoints)
    implements LedgerVerdict {

  @Override
  public boolean passed() {
    return true;
  }

  @Override
  public String describe() {
    return "ledger intact: "
        + records
        + " records, "
        + subjects
        + " subjects, "
        + partitions
        + " partitions, "
        + checkpoints
        + " checkpoints checked";
  }
}
