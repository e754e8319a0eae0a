package io.optin.kit.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.Topology;
import org.opentest4j.AssertionFailedError;

/**
 * A Streams application's topology must equal its committed snapshot, {@code
 * src/test/resources/topology/<app>.txt}, so that no rename reaches production unnoticed.
 *
 * <p>The snapshot is the application id and {@link Topology#describe()}. Kafka Streams names every
 * internal topic after them: a store's changelog is {@code <application.id>-<store>-changelog} and
 * a repartition topic {@code <application.id>-<name>-repartition}, and the store, source, sink and
 * processor names all appear in the description. Renaming any of them (or the application id) makes
 * a deployed application start on new, empty internal topics: it orphans the old changelog (the
 * state is gone) or repartition topic (the records in flight are lost). Comparing the snapshot
 * therefore also pins the internal topic names.
 *
 * <p>A deliberate change is recorded by running the test with {@code
 * -Dtopology.snapshot.update=true}: that rewrites the file and still fails, so an update is never
 * silent and the new snapshot is reviewed in the commit.
 */
public final class TopologySnapshot {

  /** The system property that rewrites the snapshot instead of comparing it. */
  public static final String UPDATE_PROPERTY = "topology.snapshot.update";

  private static final Pattern APPLICATION_ID =
      Pattern.compile("^application\\.id: (.*)$", Pattern.MULTILINE);
  private static final Pattern STORES = Pattern.compile("\\(stores: \\[([^\\]]*)\\]\\)");

  private final Path directory;
  private final boolean update;

  /**
   * @param directory where the snapshots live
   * @param update rewrite the snapshot (and fail) instead of comparing it
   */
  public TopologySnapshot(Path directory, boolean update) {
    this.directory = directory;
    this.update = update;
  }

  /**
   * The snapshots of the module under test ({@code src/test/resources/topology}, from the module's
   * base directory), updated when {@value #UPDATE_PROPERTY} is {@code true}.
   */
  public static TopologySnapshot ofThisModule() {
    Path base = Path.of(System.getProperty("basedir", "."));
    return new TopologySnapshot(
        base.resolve("src").resolve("test").resolve("resources").resolve("topology"),
        Boolean.getBoolean(UPDATE_PROPERTY));
  }

  /**
   * Passes when the topology of application {@code app} equals its snapshot.
   *
   * @param app the snapshot's name ({@code <app>.txt}), the module's name
   * @param applicationId the Streams application id production runs it under
   * @param topology the topology, built as production builds it
   * @throws AssertionFailedError when the topology differs from the snapshot (with the lines that
   *     changed), the snapshot is missing, or it was just rewritten
   */
  public void assertMatches(String app, String applicationId, Topology topology) {
    Path file = directory.resolve(app + ".txt");
    String actual = normalize("application.id: " + applicationId + "\n" + topology.describe());
    if (update) {
      write(file, actual);
      throw new AssertionFailedError(
          "Rewrote the topology snapshot "
              + file
              + " (-D"
              + UPDATE_PROPERTY
              + "=true). Review its diff, commit it, and run the test again without the property.");
    }
    if (!Files.isRegularFile(file)) {
      throw new AssertionFailedError(
          "No topology snapshot "
              + file
              + " for "
              + app
              + ": run this test once with -D"
              + UPDATE_PROPERTY
              + "=true to write it, then commit it.");
    }
    String expected = normalize(read(file));
    if (!expected.equals(actual)) {
      throw new AssertionFailedError(
          "The topology of "
              + app
              + " differs from its snapshot "
              + file
              + " (- snapshot, + now):\n"
              + diff(expected, actual)
              + orphanedChangelogs(expected, actual)
              + "\nKafka Streams names internal topics after the application id and the store,"
              + " source, sink and processor names: a rename orphans the changelog (the state of"
              + " the running application is lost) or the repartition topic (records in flight"
              + " are lost). If the change is deliberate and the migration planned, run this test"
              + " with -D"
              + UPDATE_PROPERTY
              + "=true to rewrite the snapshot, and commit it.",
          expected,
          actual);
    }
  }

  /**
   * The lines that differ, {@code -} for the snapshot and {@code +} for now, with one line of
   * context and {@code ...} for the lines left out, from a longest common subsequence.
   */
  static String diff(String expected, String actual) {
    String[] a = expected.split("\n");
    String[] b = actual.split("\n");
    int[][] common = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        common[i][j] =
            a[i].equals(b[j])
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<String> lines = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        lines.add("  " + a[i]);
        i++;
        j++;
      } else if (i < a.length && (j == b.length || common[i + 1][j] >= common[i][j + 1])) {
        lines.add("- " + a[i++]);
      } else {
        lines.add("+ " + b[j++]);
      }
    }
    StringBuilder out = new StringBuilder();
    int printed = -1;
    for (int k = 0; k < lines.size(); k++) {
      if (changed(lines, k - 1) || changed(lines, k) || changed(lines, k + 1)) {
        if (printed >= 0 && printed < k - 1) {
          out.append("  ...\n");
        }
        out.append(lines.get(k)).append('\n');
        printed = k;
      }
    }
    return out.toString();
  }

  /** The changelogs of the snapshot's stores that the topology no longer writes, if any. */
  private static String orphanedChangelogs(String expected, String actual) {
    Set<String> orphaned = changelogs(expected);
    orphaned.removeAll(changelogs(actual));
    return orphaned.isEmpty() ? "" : "Changelog topics it would orphan: " + orphaned + "\n";
  }

  /** {@code <application.id>-<store>-changelog} for every store named in a snapshot. */
  private static Set<String> changelogs(String snapshot) {
    Matcher applicationId = APPLICATION_ID.matcher(snapshot);
    String prefix = applicationId.find() ? applicationId.group(1) + "-" : "";
    Set<String> topics = new TreeSet<>();
    Matcher stores = STORES.matcher(snapshot);
    while (stores.find()) {
      for (String store : stores.group(1).split(", ")) {
        if (!store.isEmpty()) {
          topics.add(prefix + store + "-changelog");
        }
      }
    }
    return topics;
  }

  private static boolean changed(List<String> lines, int k) {
    return k >= 0 && k < lines.size() && !lines.get(k).startsWith("  ");
  }

  /** Line ends and trailing blanks do not count: editors and git may change them. */
  private static String normalize(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.replace("\r\n", "\n").split("\n")) {
      out.append(line.stripTrailing()).append('\n');
    }
    return out.toString().stripTrailing() + "\n";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
