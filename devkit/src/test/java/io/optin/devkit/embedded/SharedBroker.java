package io.optin.devkit.embedded;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded broker per test JVM, shared by every IT class that asks for it: started by the first
 * and stopped when the test run ends, so a JVM pays one broker start instead of one per class.
 *
 * <p>Take it as a parameter ({@code @ExtendWith(SharedBroker.class)}, then an {@link
 * EmbeddedKafkaBroker} argument of a {@code @BeforeAll} method), or from another extension with
 * {@link #of(ExtensionContext)}. A class on it keeps to topics, consumer groups and registry topics
 * of its own, and never stops the broker; a class that restarts or stops its broker, or needs a
 * cluster without topics, starts its own.
 */
public final class SharedBroker implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedBroker.class);

  /** The broker of this test JVM, started on first use. */
  public static EmbeddedKafkaBroker of(ExtensionContext context) {
    // The root store closes its values once every test of the run has finished.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class)
        .broker();
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
  }

  @Override
  public EmbeddedKafkaBroker resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return of(extensionContext);
  }

  private record Running(EmbeddedKafkaBroker broker) implements AutoCloseable {

    static Running start() {
      return new Running(EmbeddedKafkaBroker.builder().port(0).build().start());
    }

    @Override
    public void close() {
      broker.close();
    }
  }
}
