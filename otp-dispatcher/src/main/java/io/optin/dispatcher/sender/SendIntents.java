package io.optin.dispatcher.sender;

import io.optin.avro.SmsSendIntent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The send intents read back from {@code optin.sms-intents.v1} whose command has no report yet: a
 * command polled again with such an intent may already be at the provider, so it is looked up there
 * before anything is sent. Entries older than the window are forgotten. Thread-safe.
 */
public final class SendIntents {

  private final Duration window;
  private final Clock clock;

  /** Command id to its intents, in the order they were read (close to time order). */
  private final LinkedHashMap<String, List<SmsSendIntent>> byCommand = new LinkedHashMap<>();

  public SendIntents(Duration window, Clock clock) {
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Adds an intent read back; one older than the window is ignored. */
  public synchronized void intended(SmsSendIntent intent) {
    forgetExpired();
    if (intent.getIntendedAt().isBefore(cutoff())) {
      return;
    }
    byCommand.computeIfAbsent(intent.getCommandId(), id -> new ArrayList<>(1)).add(intent);
  }

  /** The command has a report: its intents no longer need a lookup. */
  public synchronized void resolved(String commandId) {
    byCommand.remove(commandId);
  }

  /** Drops the intents of every command {@code delivered} holds (reports read after the intent). */
  public synchronized void resolveAll(DeliveredCommands delivered) {
    byCommand.keySet().removeIf(delivered::contains);
  }

  /** The intents of a command without a report, oldest first; empty when there are none. */
  public synchronized List<SmsSendIntent> unresolved(String commandId) {
    List<SmsSendIntent> intents = byCommand.get(commandId);
    return intents == null ? List.of() : List.copyOf(intents);
  }

  public synchronized int size() {
    return byCommand.size();
  }

  private Instant cutoff() {
    return clock.instant().minus(window);
  }

  private void forgetExpired() {
    Instant cutoff = cutoff();
    for (Iterator<Map.Entry<String, List<SmsSendIntent>>> it = byCommand.entrySet().iterator();
        it.hasNext(); ) {
      List<SmsSendIntent> intents = it.next().getValue();
      if (!intents.get(intents.size() - 1).getIntendedAt().isBefore(cutoff)) {
        return;
      }
      it.remove();
    }
  }
}
