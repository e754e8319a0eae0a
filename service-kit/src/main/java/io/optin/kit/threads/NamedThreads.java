package io.optin.kit.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named after what they do, so a thread dump says whose they are; daemon so that a
 * pool nobody closed never keeps the JVM alive after its owner stopped.
 */
public final class NamedThreads {

  private NamedThreads() {}

  /** A factory of daemon threads named {@code prefix1}, {@code prefix2}... */
  public static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> daemon(prefix + count.incrementAndGet(), task);
  }

  /** A factory of daemon threads all named {@code name}, for a single-thread executor. */
  public static ThreadFactory daemon(String name) {
    return task -> daemon(name, task);
  }

  /** One daemon thread running {@code task}, not started. */
  public static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
