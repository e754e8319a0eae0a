package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  private static BenchOptions with(BenchOptions.Load load, Duration latency, int concurrency) {
    return new BenchOptions(
        load,
        latency,
        Duration.ZERO,
        BenchOptions.Via.HTTP,
        concurrency,
        Duration.ofSeconds(60),
        1000,
        Path.of("out"),
        null);
  }

  @Test
  void shouldMakeOpenLoopFlowsFromRateAndDuration() {
    BenchOptions.Load load = BenchOptions.load(200.0, Duration.ofSeconds(30), null);

    assertThat(load).isEqualTo(new BenchOptions.OpenLoop(200, Duration.ofSeconds(30)));
    assertThat(load.flows()).isEqualTo(6000);
    assertThat(load.describe()).isEqualTo("open loop, 200 signups/s for 30s");
  }

  @Test
  void shouldMakeAClosedLoopFromFlowsAndADefaultLoadFromNothing() {
    assertThat(BenchOptions.load(null, null, 2000)).isEqualTo(new BenchOptions.ClosedLoop(2000));
    assertThat(BenchOptions.load(null, null, null))
        .isEqualTo(new BenchOptions.OpenLoop(100, Duration.ofSeconds(20)));
  }

  @Test
  void shouldRefuseMixedOrIncompleteLoads() {
    assertThatThrownBy(() -> BenchOptions.load(10.0, Duration.ofSeconds(1), 5))
        .hasMessage(
            "give either --flows (closed loop) or --rate with --duration (open loop), not both");
    assertThatThrownBy(() -> BenchOptions.load(10.0, null, null))
        .hasMessage("--rate needs --duration (how long to send at that rate)");
    assertThatThrownBy(() -> BenchOptions.load(null, Duration.ofSeconds(5), null))
        .hasMessage("--duration needs --rate (signups per second)");
  }

  @Test
  void shouldRefuseValuesOutOfRangeNamingTheOption() {
    assertThatThrownBy(
            () -> with(new BenchOptions.OpenLoop(0, Duration.ofSeconds(5)), Duration.ZERO, 8))
        .hasMessage("--rate must be above 0 and at most 20000 signups/s, got 0");
    assertThatThrownBy(
            () -> with(new BenchOptions.OpenLoop(10, Duration.ofMillis(500)), Duration.ZERO, 8))
        .hasMessage("--duration must be between 1s and 1h, got 500ms");
    assertThatThrownBy(() -> with(new BenchOptions.ClosedLoop(0), Duration.ZERO, 8))
        .hasMessage("--flows must be between 1 and 1000000, got 0");
    assertThatThrownBy(() -> with(new BenchOptions.ClosedLoop(10), Duration.ofSeconds(31), 8))
        .hasMessage("--provider-latency must be between 0s and 30s, got 31s");
    assertThatThrownBy(() -> with(new BenchOptions.ClosedLoop(10), Duration.ZERO, 0))
        .hasMessage("--concurrency must be between 1 and 4096, got 0");
    assertThatThrownBy(
            () -> with(new BenchOptions.OpenLoop(20_000, Duration.ofHours(1)), Duration.ZERO, 8))
        .hasMessage("--rate × --duration must make at most 1000000 flows, got 72000000");
  }

  @Test
  void shouldUseTheEmbeddedStackWithoutAnyRemoteOption() {
    assertThat(BenchOptions.remote(null, null, null, null, 8089, null, null)).isNull();
  }

  @Test
  void shouldNameTheMissingOptionsOfARunningOptin() {
    assertThatThrownBy(
            () -> BenchOptions.remote("127.0.0.1:9092", null, null, null, 8089, "AC1", "t"))
        .hasMessage(
            "a running optin needs all of --bootstrap-servers, --registry and --target (missing:"
                + " --registry, --target)");
    assertThatThrownBy(
            () ->
                BenchOptions.remote(
                    "127.0.0.1:9092",
                    URI.create("http://127.0.0.1:8081"),
                    URI.create("http://127.0.0.1:8080"),
                    null,
                    8089,
                    null,
                    null))
        .hasMessageStartingWith(
            "a running optin needs --twilio-account-sid and --twilio-auth-token");
    assertThatThrownBy(
            () ->
                BenchOptions.remote(
                    "127.0.0.1:9092",
                    URI.create("ftp://127.0.0.1:8081"),
                    URI.create("http://127.0.0.1:8080"),
                    null,
                    8089,
                    "AC1",
                    "t"))
        .hasMessage("not an http(s) URL: ftp://127.0.0.1:8081");
  }

  @Test
  void shouldAcceptACompleteRunningOptin() {
    BenchOptions.Remote remote =
        BenchOptions.remote(
            "127.0.0.1:9092",
            URI.create("http://127.0.0.1:8081"),
            URI.create("http://127.0.0.1:8080"),
            "tok",
            8089,
            "AC1",
            "secret");

    assertThat(remote)
        .isEqualTo(
            new BenchOptions.Remote(
                "127.0.0.1:9092",
                URI.create("http://127.0.0.1:8081"),
                URI.create("http://127.0.0.1:8080"),
                "tok",
                8089,
                "AC1",
                "secret"));
  }
}
