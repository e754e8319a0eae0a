package io.optin.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads docs/privacy.md's table of the topics holding a phone in clear: topic name -> cleanup
 * column, in the page's order. Shared by the catalogue's test and the system test that searches
 * every topic's bytes, so neither can drift from the page.
 */
public final class PrivacyTable {

  /** The section whose table this reads. */
  public static final String SECTION = "## Topics holding a phone in clear";

  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|([^|]*)\\|([^|]*)\\|");

  private PrivacyTable() {}

  /** The table's rows: topic -> cleanup, as written. */
  public static Map<String, String> rows(String page) {
    int start = page.indexOf(SECTION);
    if (start < 0) {
      throw new IllegalArgumentException("no section \"" + SECTION + "\"");
    }
    int end = page.indexOf("\n## ", start + SECTION.length());
    String section = page.substring(start, end < 0 ? page.length() : end);
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        rows.put(row.group(1), row.group(3).trim());
      }
    }
    return rows;
  }
}
