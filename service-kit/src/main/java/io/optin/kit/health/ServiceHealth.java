package io.optin.kit.health;

/**
 * How one service of a process stands, for {@code /health/live} and {@code /health/ready}: every
 * service (ingest, dispatcher, sender, replies, audit, the archiver) answers these four questions
 * the same way.
 *
 * <p>Ready means the service does its job now (a Streams app is {@code RUNNING}, the sender's loop
 * runs, ingest's status table caught up); not ready is normal while it starts or rebalances. Live
 * false means the service is dead for good and only a restart of the process brings it back (a
 * Streams app in {@code ERROR} or shut down by its restart budget, a fenced or failed sender, an
 * archiver that gave up). Implementations answer from memory, without I/O: a probe calls them on
 * every request.
 */
public interface ServiceHealth {

  /**
   * The service's word, as on the command line and in {@code /health/ready/{service}}: {@code
   * ingest}, {@code replies}…
   */
  String name();

  /** Whether the service does its job now; false while it starts, catches up or rebalances. */
  boolean ready();

  /** False once the service is dead for good; true while it runs, starts or recovers. */
  boolean live();

  /** Its state in a word: {@code RUNNING}, {@code REBALANCING}, {@code ERROR}, {@code FAILED}… */
  String state();
}
