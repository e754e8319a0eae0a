package io.optin.server.stack;

import io.optin.kit.http.HttpRoute;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One started service as the process sees it: its routes, whether it is ready (for {@code
 * /health/ready}), its state in words, and how to stop it.
 */
public final class RunningService implements AutoCloseable {

  private final ServiceName name;
  private final List<HttpRoute> routes;
  private final BooleanSupplier ready;
  private final Supplier<String> state;
  private final AutoCloseable stop;

  RunningService(
      ServiceName name,
      List<HttpRoute> routes,
      BooleanSupplier ready,
      Supplier<String> state,
      AutoCloseable stop) {
    this.name = Objects.requireNonNull(name, "name");
    this.routes = List.copyOf(routes);
    this.ready = Objects.requireNonNull(ready, "ready");
    this.state = Objects.requireNonNull(state, "state");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  public ServiceName name() {
    return name;
  }

  public List<HttpRoute> routes() {
    return routes;
  }

  public boolean isReady() {
    return ready.getAsBoolean();
  }

  /** RUNNING, REBALANCING, STARTING… as the service reports it. */
  public String state() {
    return state.get();
  }

  @Override
  public void close() throws Exception {
    stop.close();
  }
}
