package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMeterTest {

  @Test
  void shouldReadAFieldOfProcStatusInKib() {
    List<String> status =
        List.of("Name:\tjava", "VmHWM:\t  812340 kB", "VmRSS:\t  604120 kB", "Threads:\t212");

    assertThat(ProcessMeter.parseKib(status, "VmRSS:")).isEqualTo(604_120);
    assertThat(ProcessMeter.parseKib(status, "VmHWM:")).isEqualTo(812_340);
    assertThat(ProcessMeter.parseKib(status, "VmSwap:")).isZero();
  }

  @Test
  void shouldMeasureThisProcess() {
    assertThat(ProcessMeter.cpuNanos()).isPositive();
    if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status"))) {
      long rss = ProcessMeter.rssBytes();
      assertThat(rss).isPositive();
      // The peak is read after the current size, so it cannot be below it.
      assertThat(ProcessMeter.peakRssBytes()).isGreaterThanOrEqualTo(rss);
    }
  }
}
