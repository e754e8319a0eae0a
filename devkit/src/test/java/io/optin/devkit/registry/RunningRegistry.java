package io.optin.devkit.registry;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture: one embedded broker per test class, and per test a fresh registry (on port 0) on a
 * topic of its own, so tests never see each other's schemas.
 */
final class RunningRegistry
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final AtomicInteger TOPICS = new AtomicInteger();

  private EmbeddedKafkaBroker broker;
  private EmbeddedSchemaRegistry registry;
  private RegistryHttp http;
  private String topic;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = EmbeddedKafkaBroker.builder().port(0).build().start();
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

  @Override
  public void afterAll(ExtensionContext context) {
    broker.close();
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
