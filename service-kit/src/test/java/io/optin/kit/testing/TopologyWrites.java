package io.optin.kit.testing;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/** The topics a Kafka Streams topology writes, as its description names them. */
public final class TopologyWrites {

  private TopologyWrites() {}

  /** The topic of every sink of {@code topology}, sorted. */
  public static Set<String> sinkTopics(Topology topology) {
    Set<String> topics = new TreeSet<>();
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Sink sink) {
          topics.add(sink.topic());
        }
      }
    }
    return topics;
  }
}
