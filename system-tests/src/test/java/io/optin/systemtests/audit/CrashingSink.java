package io.optin.systemtests.audit;

import io.optin.audit.archive.ArchiveSink;
import io.optin.audit.archive.ArchivedRecord;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A sink that dies in the middle of its {@code crashOn}-th batch: the first half of the batch is
 * stored for real, then {@code atCrash} leaves whatever trace the crash would (a half-written
 * line), then it throws.
 */
final class CrashingSink implements ArchiveSink {

  private final ArchiveSink delegate;
  private final int crashOn;
  private final Consumer<List<ArchivedRecord>> atCrash;
  private int appends;

  CrashingSink(ArchiveSink delegate, int crashOn, Consumer<List<ArchivedRecord>> atCrash) {
    this.delegate = delegate;
    this.crashOn = crashOn;
    this.atCrash = atCrash;
  }

  @Override
  public Map<Integer, Long> positions() {
    return delegate.positions();
  }

  @Override
  public void append(List<ArchivedRecord> batch) {
    if (++appends == crashOn) {
      int half = batch.size() / 2;
      delegate.append(batch.subList(0, half));
      atCrash.accept(batch.subList(half, batch.size()));
      throw new IllegalStateException(
          "simulated crash in the middle of batch "
              + appends
              + " after "
              + half
              + " of "
              + batch.size()
              + " records");
    }
    delegate.append(batch);
  }

  @Override
  public String describe() {
    return "crashing " + delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
