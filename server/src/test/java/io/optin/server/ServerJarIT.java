package io.optin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production jar ships no Kafka broker and no Scala: every Kafka class in it comes from
 * kafka-clients or kafka-streams.
 *
 * <p>An allow-list of the client libraries' own classes, rather than a list of broker packages, so
 * that a broker module this test has never heard of still fails it. It runs in {@code verify},
 * after the shade plugin built the jar at {@code package}.
 */
class ServerJarIT {

  private static final Path SERVER_JAR =
      Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("optin-server.jar");

  @Test
  void shouldShipNoKafkaBrokerAndNoScalaClass() throws IOException, URISyntaxException {
    // Given the shaded server jar and the classes of the Kafka client libraries it may ship
    if (!Files.isRegularFile(SERVER_JAR)) {
      fail(
          SERVER_JAR.toAbsolutePath()
              + " is missing: the shade plugin builds it at `package`; run"
              + " `mvn -pl server -am verify` (this test runs in verify, after package)");
    }
    Set<String> shipped = entries(SERVER_JAR);
    Set<String> clientClasses = new TreeSet<>();
    clientClasses.addAll(
        classesOf(
            libraryJar("kafka-clients", "org/apache/kafka/clients/producer/KafkaProducer.class")));
    clientClasses.addAll(
        classesOf(libraryJar("kafka-streams", "org/apache/kafka/streams/KafkaStreams.class")));
    // A jar that lost its contents would pass the check below; this one must hold the command and
    // the client libraries it runs on.
    assertThat(shipped)
        .contains(
            "io/optin/server/OptinCommand.class",
            "org/apache/kafka/clients/producer/KafkaProducer.class",
            "org/apache/kafka/streams/KafkaStreams.class");

    // When we look for classes no client library ships
    List<String> brokerEntries = brokerEntries(shipped, clientClasses);

    // Then there are none
    assertThat(brokerEntries)
        .as(
            "%s carries %d Kafka broker or Scala entries (first: %s). The production jar may ship"
                + " kafka-clients and kafka-streams only: find the dependency that brings the broker"
                + " with `mvn dependency:tree -pl server -am` and keep the broker to devkit and"
                + " system-tests.",
            SERVER_JAR,
            brokerEntries.size(),
            brokerEntries.stream().limit(10).collect(Collectors.toList()))
        .isEmpty();
  }

  @Test
  void shouldSpotBrokerAndScalaEntriesInAJarThatCarriesThem(@TempDir Path dir) throws IOException {
    // Given a jar with client classes, a client resource, and classes only the broker brings,
    // one of them in a package kafka-clients shares with kafka-server
    Path jar = dir.resolve("fat.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (String name :
          List.of(
              "io/optin/server/OptinCommand.class",
              "org/apache/kafka/clients/producer/KafkaProducer.class",
              "org/apache/kafka/server/quota/ClientQuotaCallback.class",
              "kafka/kafka-version.properties",
              "kafka/server/KafkaRaftServer.class",
              "org/apache/kafka/server/quota/ClientQuotaManager.class",
              "org/apache/kafka/raft/KafkaRaftClient.class",
              "scala/Option.class")) {
        zip.putNextEntry(new ZipEntry(name));
        zip.closeEntry();
      }
    }
    Set<String> clientClasses =
        Set.of(
            "org/apache/kafka/clients/producer/KafkaProducer.class",
            "org/apache/kafka/server/quota/ClientQuotaCallback.class");

    // When
    List<String> brokerEntries = brokerEntries(entries(jar), clientClasses);

    // Then
    assertThat(brokerEntries)
        .containsExactly(
            "kafka/server/KafkaRaftServer.class",
            "org/apache/kafka/raft/KafkaRaftClient.class",
            "org/apache/kafka/server/quota/ClientQuotaManager.class",
            "scala/Option.class");
  }

  /**
   * Entries of the Scala runtime, and Kafka classes (the broker's Scala core lives in {@code
   * kafka/}) that no client library ships, in name order.
   */
  private static List<String> brokerEntries(Set<String> shipped, Set<String> clientClasses) {
    return shipped.stream()
        .filter(
            name ->
                name.startsWith("scala/")
                    || (name.endsWith(".class")
                        && (name.startsWith("kafka/") || name.startsWith("org/apache/kafka/"))
                        && !clientClasses.contains(name)))
        .sorted()
        .collect(Collectors.toList());
  }

  private static Set<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> classesOf(Path jar) throws IOException {
    return entries(jar).stream()
        .filter(name -> name.endsWith(".class"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The library's own jar on the test class path, found by name: the class path may also hold the
   * shaded server jar, which carries the same classes and must not vouch for itself.
   */
  private static Path libraryJar(String artifactId, String classResource)
      throws IOException, URISyntaxException {
    Pattern fileName = Pattern.compile(Pattern.quote(artifactId) + "-\\d[^/]*\\.jar");
    List<Path> found = new ArrayList<>();
    for (URL url :
        Collections.list(ServerJarIT.class.getClassLoader().getResources(classResource))) {
      if (url.getProtocol().equals("jar")) {
        Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        if (fileName.matcher(jar.getFileName().toString()).matches()) {
          found.add(jar);
        }
      }
    }
    assertThat(found).as("the %s jar on the test class path", artifactId).hasSize(1);
    return found.get(0);
  }
}
