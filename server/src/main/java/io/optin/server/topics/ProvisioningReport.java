package io.optin.server.topics;

import java.util.List;

/** What {@link TopicProvisioner} did to each topic; it succeeded when no topic is in error. */
public record ProvisioningReport(List<Outcome> outcomes) {

  /** What happened to one topic. */
  public enum Result {
    CREATED("created"),
    EXISTS("exists"),
    ERROR("ERROR"),
    /**
     * Missing, and left alone because another topic is in error: creating it could only add to the
     * mismatch.
     */
    SKIPPED("not created");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One topic's outcome.
   *
   * @param partitions its partition count, or 0 when unknown (not created)
   * @param replicas its replication factor, or 0 when unknown
   * @param detail its cleanup and retention, or what is wrong
   */
  public record Outcome(String topic, Result result, int partitions, int replicas, String detail) {}

  public ProvisioningReport {
    outcomes = List.copyOf(outcomes);
  }

  public boolean succeeded() {
    return outcomes.stream().noneMatch(outcome -> outcome.result() == Result.ERROR);
  }

  public List<Outcome> withResult(Result result) {
    return outcomes.stream().filter(outcome -> outcome.result() == result).toList();
  }

  /** A fixed-width table, one line per topic, for people. */
  public String table() {
    int width = outcomes.stream().mapToInt(outcome -> outcome.topic().length()).max().orElse(5);
    String format = "%-" + width + "s  %10s  %8s  %-11s  %s%n";
    StringBuilder table =
        new StringBuilder(
            String.format(format, "TOPIC", "PARTITIONS", "REPLICAS", "RESULT", "DETAIL"));
    for (Outcome outcome : outcomes) {
      table.append(
          String.format(
              format,
              outcome.topic(),
              count(outcome.partitions()),
              count(outcome.replicas()),
              outcome.result().label(),
              outcome.detail()));
    }
    return table.toString();
  }

  private static String count(int value) {
    return value > 0 ? Integer.toString(value) : "-";
  }
}
