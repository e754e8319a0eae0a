package io.optin.server.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An env file as Docker Compose's {@code env_file} reads it, in the plain form optin writes: one
 * {@code NAME=value} a line, {@code #} comment lines and blank lines, values unquoted and without
 * an inline comment. Comments and order are kept when values are filled in.
 */
public final class EnvFile {

  private static final Pattern ENTRY = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)");

  private final List<String> lines;

  private EnvFile(List<String> lines) {
    this.lines = List.copyOf(lines);
  }

  public static EnvFile empty() {
    return new EnvFile(List.of());
  }

  /**
   * @throws IllegalArgumentException naming the first line that is neither a comment, blank, nor a
   *     plain {@code NAME=value}
   */
  public static EnvFile parse(String text) {
    List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1));
    List<String> kept = new ArrayList<>(lines);
    if (!kept.isEmpty() && kept.get(kept.size() - 1).isEmpty()) {
      kept.remove(kept.size() - 1);
    }
    for (int i = 0; i < kept.size(); i++) {
      String line = kept.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher entry = ENTRY.matcher(line);
      if (!entry.matches()) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not NAME=value: " + line);
      }
      String value = entry.group(2);
      if (value.startsWith("\"") || value.startsWith("'") || value.contains(" #")) {
        throw new IllegalArgumentException(
            "line "
                + (i + 1)
                + " ("
                + entry.group(1)
                + "): quotes and inline comments are read differently by env file readers");
      }
    }
    return new EnvFile(kept);
  }

  /** Each variable to its value (blank when the line has none); the last line of a name wins. */
  public Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher entry = ENTRY.matcher(line.strip());
      if (entry.matches()) {
        values.put(entry.group(1), entry.group(2).strip());
      }
    }
    return values;
  }

  /** The variables present with a blank value: left for someone to fill. */
  public Set<String> blanks() {
    Set<String> blanks = new LinkedHashSet<>();
    values()
        .forEach(
            (name, value) -> {
              if (value.isEmpty()) {
                blanks.add(name);
              }
            });
    return blanks;
  }

  /**
   * This file with each blank variable of {@code fill} given its value, and each variable of {@code
   * fill} it lacks appended; variables that already have a value are left alone.
   */
  public EnvFile filled(Map<String, String> fill) {
    Map<String, String> present = values();
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      Matcher entry = ENTRY.matcher(line.strip());
      if (entry.matches() && entry.group(2).isBlank() && fill.containsKey(entry.group(1))) {
        result.add(entry.group(1) + "=" + fill.get(entry.group(1)));
      } else {
        result.add(line);
      }
    }
    fill.forEach(
        (name, value) -> {
          if (!present.containsKey(name)) {
            result.add(name + "=" + value);
          }
        });
    return new EnvFile(result);
  }

  /** The file's text, each line ended by a newline. */
  public String text() {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }
}
