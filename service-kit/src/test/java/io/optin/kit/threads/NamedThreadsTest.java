package io.optin.kit.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {

  private static final Runnable NOTHING = () -> {};

  @Test
  void shouldNumberTheDaemonThreadsOfAPool() {
    ThreadFactory factory = NamedThreads.daemons("optin-http-");

    Thread first = factory.newThread(NOTHING);
    Thread second = factory.newThread(NOTHING);

    assertThat(first.getName()).isEqualTo("optin-http-1");
    assertThat(second.getName()).isEqualTo("optin-http-2");
    assertThat(first.isDaemon()).isTrue();
    assertThat(second.isDaemon()).isTrue();
  }

  @Test
  void shouldGiveASingleThreadExecutorsThreadItsName() {
    Thread thread = NamedThreads.daemon("optin-demo-progress").newThread(NOTHING);

    assertThat(thread.getName()).isEqualTo("optin-demo-progress");
    assertThat(thread.isDaemon()).isTrue();
  }

  @Test
  void shouldMakeOneDaemonThreadWithoutStartingIt() {
    Thread thread = NamedThreads.daemon("optin-ingest-status-follower", NOTHING);

    assertThat(thread.getName()).isEqualTo("optin-ingest-status-follower");
    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread.getState()).isEqualTo(Thread.State.NEW);
  }
}
