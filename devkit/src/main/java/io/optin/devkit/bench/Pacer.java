package io.optin.devkit.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts the flows of a load: open loop, each at its intended time {@code start + i / rate}
 * whatever happened to the earlier ones; closed loop, each as soon as fewer than {@code
 * concurrency} are in flight. Each flow is handed its intended start time, from which its latency
 * is measured, so a stall of the system under test is charged to every flow it delayed rather than
 * hidden (coordinated omission).
 */
final class Pacer {

  /** A source of time the pacer can wait on; {@link #SYSTEM} outside tests. */
  interface Ticker {
    long nanoTime();

    /** Returns at or after {@code nanos} of {@link #nanoTime()}. */
    void sleepUntil(long nanos) throws InterruptedException;

    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepUntil(long nanos) throws InterruptedException {
            for (long left = nanos - System.nanoTime();
                left > 0;
                left = nanos - System.nanoTime()) {
              LockSupport.parkNanos(left);
              if (Thread.interrupted()) {
                throw new InterruptedException();
              }
            }
          }
        };
  }

  /** Starts flow {@code index}; must not block (hand the work to another thread). */
  @FunctionalInterface
  interface Starter {
    /**
     * @param done to be run once when the flow's first step (the signup) is over
     */
    void start(int index, long intendedNanos, Runnable done);
  }

  private final Ticker ticker;

  Pacer(Ticker ticker) {
    this.ticker = ticker;
  }

  /** The intended start of flow {@code index} at {@code rate} a second, from the run's start. */
  static long intendedOffsetNanos(double rate, int index) {
    return Math.round(index * 1e9 / rate);
  }

  /** Starts every flow of the load; returns once the last one was started. */
  void run(BenchOptions.Load load, int concurrency, Starter starter) throws InterruptedException {
    if (load instanceof BenchOptions.OpenLoop open) {
      openLoop(open, starter);
    } else {
      closedLoop(load.flows(), concurrency, starter);
    }
  }

  private void openLoop(BenchOptions.OpenLoop load, Starter starter) throws InterruptedException {
    long start = ticker.nanoTime();
    int flows = load.flows();
    for (int i = 0; i < flows; i++) {
      long intended = start + intendedOffsetNanos(load.rate(), i);
      ticker.sleepUntil(intended);
      starter.start(i, intended, () -> {});
    }
  }

  private void closedLoop(int flows, int concurrency, Starter starter) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    for (int i = 0; i < flows; i++) {
      inFlight.acquire();
      starter.start(i, ticker.nanoTime(), inFlight::release);
    }
  }
}
