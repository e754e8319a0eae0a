package io.optin.audit.archive;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the PostgreSQL archive lives: a JDBC URL and optional credentials (from the environment,
 * never logged).
 *
 * @param user {@code null} to take it from the URL
 * @param password {@code null} to take it from the URL
 */
public record JdbcTarget(String url, String user, String password) {

  public JdbcTarget {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "the archive needs a PostgreSQL JDBC URL (jdbc:postgresql://host/db), not "
              + describe(url));
    }
  }

  /** A new connection; batched inserts are rewritten into multi-row statements. */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("ApplicationName", "optin-archive");
    return DriverManager.getConnection(url, properties);
  }

  /** The URL without its query string (which may carry a password), for logs and reports. */
  public String describe() {
    return describe(url);
  }

  @Override
  public String toString() {
    return "JdbcTarget[" + describe() + (user == null ? "" : " as " + user) + "]";
  }

  private static String describe(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }
}
