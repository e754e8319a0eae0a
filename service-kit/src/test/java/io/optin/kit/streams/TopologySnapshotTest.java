package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class TopologySnapshotTest {

  private static final String SNAPSHOT =
      String.join(
          "\n",
          "application.id: optin-phones",
          "Topologies:",
          "   Sub-topology: 0",
          "    Source: signups-source (topics: [optin.signup-requests.v1])",
          "      --> phone-book",
          "    Processor: phone-book (stores: [phones])",
          "      --> challenges-sink",
          "      <-- signups-source",
          "    Sink: challenges-sink (topic: optin.challenges.v1)",
          "      <-- phone-book",
          "");

  @TempDir Path dir;

  @Test
  void shouldPassWhenTheTopologyEqualsItsSnapshot() throws IOException {
    // Given
    Files.writeString(dir.resolve("phones.txt"), SNAPSHOT);

    // When / Then
    assertThatCode(
            () ->
                new TopologySnapshot(dir, false)
                    .assertMatches("phones", "optin-phones", topology("phones")))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldIgnoreLineEndsAndTrailingBlanks() throws IOException {
    // Given a snapshot checked out with CRLF line ends, with trailing blanks
    Files.writeString(dir.resolve("phones.txt"), SNAPSHOT.replace("\n", " \t\r\n") + "\r\n\r\n");

    // When / Then
    assertThatCode(
            () ->
                new TopologySnapshot(dir, false)
                    .assertMatches("phones", "optin-phones", topology("phones")))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldFailWithTheChangedLinesWhenAStoreIsRenamed() throws IOException {
    // Given
    Files.writeString(dir.resolve("phones.txt"), SNAPSHOT);

    // When / Then
    assertThatThrownBy(
            () ->
                new TopologySnapshot(dir, false)
                    .assertMatches("phones", "optin-phones", topology("phone-book-store")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage(
            "The topology of phones differs from its snapshot "
                + dir.resolve("phones.txt")
                + " (- snapshot, + now):\n"
                + "        --> phone-book\n"
                + "-     Processor: phone-book (stores: [phones])\n"
                + "+     Processor: phone-book (stores: [phone-book-store])\n"
                + "        --> challenges-sink\n"
                + "Changelog topics it would orphan: [optin-phones-phones-changelog]\n"
                + "\nKafka Streams names internal topics after the application id and the store,"
                + " source, sink and processor names: a rename orphans the changelog (the state of"
                + " the running application is lost) or the repartition topic (records in flight"
                + " are lost). If the change is deliberate and the migration planned, run this test"
                + " with -Dtopology.snapshot.update=true to rewrite the snapshot, and commit it.");
  }

  @Test
  void shouldFailWhenTheApplicationIdChanges() throws IOException {
    // Given
    Files.writeString(dir.resolve("phones.txt"), SNAPSHOT);

    // When / Then
    assertThatThrownBy(
            () ->
                new TopologySnapshot(dir, false)
                    .assertMatches("phones", "optin-phones-v2", topology("phones")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining(
            "- application.id: optin-phones\n"
                + "+ application.id: optin-phones-v2\n"
                + "  Topologies:\n"
                + "Changelog topics it would orphan: [optin-phones-phones-changelog]\n");
  }

  @Test
  void shouldFailWhenTheSnapshotIsMissing() {
    assertThatThrownBy(
            () ->
                new TopologySnapshot(dir, false)
                    .assertMatches("phones", "optin-phones", topology("phones")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage(
            "No topology snapshot "
                + dir.resolve("phones.txt")
                + " for phones: run this test once with -Dtopology.snapshot.update=true to write"
                + " it, then commit it.");
    assertThat(dir.resolve("phones.txt")).doesNotExist();
  }

  @Test
  void shouldRewriteTheSnapshotAndStillFailWhenAskedToUpdate() throws IOException {
    // Given an outdated snapshot
    Files.writeString(dir.resolve("phones.txt"), "application.id: optin-phones\nTopologies:\n");

    // When / Then
    assertThatThrownBy(
            () ->
                new TopologySnapshot(dir, true)
                    .assertMatches("phones", "optin-phones", topology("phones")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage(
            "Rewrote the topology snapshot "
                + dir.resolve("phones.txt")
                + " (-Dtopology.snapshot.update=true). Review its diff, commit it, and run the test"
                + " again without the property.");
    assertThat(dir.resolve("phones.txt")).hasContent(SNAPSHOT);
  }

  @Test
  void shouldListOnlyTheChangedLinesWithOneLineOfContext() {
    // Given
    String before = "a\nb\nc\nd\ne\nf\ng\n";
    String after = "a\nb\nc\nD\ne\nf\ng\nh\n";

    // When
    String diff = TopologySnapshot.diff(before, after);

    // Then
    assertThat(diff).isEqualTo("  c\n- d\n+ D\n  e\n  ...\n  g\n+ h\n");
  }

  private static Topology topology(String store) {
    Topology topology = new Topology();
    topology.addSource(
        "signups-source",
        Serdes.String().deserializer(),
        Serdes.String().deserializer(),
        "optin.signup-requests.v1");
    topology.addProcessor(
        "phone-book",
        () ->
            new Processor<String, String, String, String>() {
              @Override
              public void process(Record<String, String> record) {}
            },
        "signups-source");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.String()),
        "phone-book");
    topology.addSink(
        "challenges-sink",
        "optin.challenges.v1",
        Serdes.String().serializer(),
        Serdes.String().serializer(),
        "phone-book");
    return topology;
  }
}
