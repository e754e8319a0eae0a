package io.optin.audit.archive;

import io.optin.kit.health.ServiceHealth;
import io.optin.schemas.registry.SchemaRegistryClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link LedgerArchiver} per configured archive (segment files, PostgreSQL), each with its
 * own consumer and position, so a slow or failing database never holds the files back.
 *
 * <p>Health, as service {@value #NAME}: ready when every archiver has its sink open and is copying
 * (not while one recovers from a failure), dead for good once one has given up.
 */
public final class ArchiveService implements ServiceHealth, AutoCloseable {

  /** The service's word, in health and metrics. */
  public static final String NAME = "archive";

  private final List<LedgerArchiver> archivers = new ArrayList<>();

  /**
   * @param kafkaClientSettings Kafka client settings, prefix stripped (e.g. {@code
   *     bootstrap.servers})
   * @param registry the Schema Registry client, to resolve the writer schema of each ledger value
   */
  public ArchiveService(
      ArchiveSettings settings, Map<String, ?> kafkaClientSettings, SchemaRegistryClient registry) {
    settings
        .directory()
        .ifPresent(
            directory ->
                archivers.add(
                    new LedgerArchiver(
                        "files",
                        () ->
                            SegmentFileArchive.open(
                                directory, settings.rotation(), Clock.systemUTC()),
                        kafkaClientSettings,
                        registry,
                        settings.retryBackoff())));
    settings
        .jdbc()
        .ifPresent(
            target ->
                archivers.add(
                    new LedgerArchiver(
                        "jdbc",
                        () -> PostgresArchive.open(target),
                        kafkaClientSettings,
                        registry,
                        settings.retryBackoff())));
  }

  public ArchiveService start() {
    archivers.forEach(LedgerArchiver::start);
    return this;
  }

  /** The archivers, files first. */
  public List<LedgerArchiver> archivers() {
    return List.copyOf(archivers);
  }

  /** Every archiver has its sink open and is copying. */
  public boolean isRunning() {
    return archivers.stream()
        .allMatch(archiver -> archiver.state() == LedgerArchiver.State.RUNNING);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean ready() {
    return isRunning();
  }

  @Override
  public boolean live() {
    return archivers.stream()
        .noneMatch(archiver -> archiver.state() == LedgerArchiver.State.FAILED);
  }

  /**
   * The state of one archiver ({@code RUNNING}), or of each ({@code files RUNNING, jdbc FAILED}).
   */
  @Override
  public String state() {
    if (archivers.size() == 1) {
      return archivers.get(0).state().name();
    }
    return String.join(
        ", ", archivers.stream().map(a -> a.name() + " " + a.state().name()).toList());
  }

  @Override
  public void close() {
    archivers.forEach(LedgerArchiver::close);
  }
}
