package io.optin.devkit.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's CPU time (OperatingSystemMXBean) and resident memory ({@code VmRSS} and its peak
 * {@code VmHWM} in {@code /proc/self/status}; 0 where there is no {@code /proc}).
 */
final class ProcessMeter {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMeter() {}

  /** CPU time of every thread of the process so far, in nanoseconds; -1 when unknown. */
  static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Resident set size now, in bytes. */
  static long rssBytes() {
    return statusKib("VmRSS:") * 1024;
  }

  /** The largest resident set size so far, in bytes. */
  static long peakRssBytes() {
    return statusKib("VmHWM:") * 1024;
  }

  /** A {@code /proc/self/status} field in kB, as its text gives it; 0 when absent. */
  static long statusKib(String field) {
    try {
      return parseKib(Files.readAllLines(STATUS), field);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long parseKib(List<String> status, String field) {
    for (String line : status) {
      if (line.startsWith(field)) {
        String[] parts = line.substring(field.length()).trim().split("\\s+");
        return Long.parseLong(parts[0]);
      }
    }
    return 0;
  }
}
