package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendPacerTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<Duration> waits = new ArrayList<>();

  @Test
  void shouldSpaceBurstEvenlyAtConfiguredRate() throws InterruptedException {
    // Given a pacer of 10 messages per second
    SendPacer pacer = new SendPacer(10, waits::add, nanos::get);

    // When three sends ask at the same instant
    pacer.acquire();
    pacer.acquire();
    pacer.acquire();

    // Then the first goes at once and the others wait for their 100 ms slots
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void shouldNotWaitWhenRequestsArriveSlowerThanRate() throws InterruptedException {
    // Given a pacer of 2 messages per second
    SendPacer pacer = new SendPacer(2, waits::add, nanos::get);

    // When sends come one second apart
    pacer.acquire();
    nanos.addAndGet(1_000_000_000L);
    pacer.acquire();

    // Then nobody waits, and idle time is not saved up for a later burst
    nanos.addAndGet(5_000_000_000L);
    pacer.acquire();
    pacer.acquire();
    assertThat(waits).containsExactly(Duration.ofMillis(500));
  }
}
