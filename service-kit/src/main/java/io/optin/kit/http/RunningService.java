package io.optin.kit.http;

import io.optin.kit.health.ServiceHealth;
import java.util.List;
import java.util.Objects;

/**
 * One started service as the process sees it: its health (for {@code /health/live} and {@code
 * /health/ready}), its routes, and how to stop it.
 */
public final class RunningService implements ServiceHealth, AutoCloseable {

  private final ServiceHealth health;
  private final List<HttpRoute> routes;
  private final AutoCloseable stop;

  public RunningService(ServiceHealth health, List<HttpRoute> routes, AutoCloseable stop) {
    this.health = Objects.requireNonNull(health, "health");
    this.routes = List.copyOf(routes);
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /** A service that reports its own health and stops itself. */
  public static <S extends ServiceHealth & AutoCloseable> RunningService of(
      S service, List<HttpRoute> routes) {
    return new RunningService(service, routes, service);
  }

  @Override
  public String name() {
    return health.name();
  }

  @Override
  public boolean ready() {
    return health.ready();
  }

  @Override
  public boolean live() {
    return health.live();
  }

  /** RUNNING, REBALANCING, CATCHING_UP… as the service reports it. */
  @Override
  public String state() {
    return health.state();
  }

  public List<HttpRoute> routes() {
    return routes;
  }

  @Override
  public void close() throws Exception {
    stop.close();
  }

  @Override
  public String toString() {
    return name() + " (" + state() + ")";
  }
}
