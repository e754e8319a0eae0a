package io.optin.devkit.registry;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.embedded.SharedBroker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture: the JVM's shared broker, and per test a fresh registry (on port 0) on a topic of
 * its own, so tests never see each other's schemas.
 */
final class RunningRegistry implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final AtomicInteger TOPICS = new AtomicInteger();

  private EmbeddedKafkaBroker broker;
  private EmbeddedSchemaRegistry registry;
  private RegistryHttp http;
  private String topic;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = SharedBroker.of(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    topic = "_schemas-it-" + TOPICS.incrementAndGet();
    registry = startRegistry();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    registry.close();
  }

  RegistryHttp http() {
    return http;
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  String topic() {
    return topic;
  }

  /** Stops this test's registry and starts a new instance on the same topic. */
  RegistryHttp restart() {
    registry.close();
    registry = startRegistry();
    return http();
  }

  private EmbeddedSchemaRegistry startRegistry() {
    EmbeddedSchemaRegistry started =
        EmbeddedSchemaRegistry.builder(broker.bootstrapServers())
            .port(0)
            .topic(topic)
            .build()
            .start();
    http = new RegistryHttp(started.url());
    return started;
  }
}
