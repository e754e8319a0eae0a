package io.optin.devkit.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The sandbox's memory of the calls it placed, oldest first, bounded: the oldest are forgotten
 * first.
 */
final class CallLog {

  private final int maxCalls;
  private final LinkedHashMap<String, SandboxCall> bySid = new LinkedHashMap<>();

  /** Calls a caller is pressing keys on right now: two presses never take the same call. */
  private final Set<String> claimed = new HashSet<>();

  CallLog(int maxCalls) {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("bound must be positive");
    }
    this.maxCalls = maxCalls;
  }

  synchronized void add(SandboxCall call) {
    bySid.put(call.sid(), call);
    Iterator<String> oldest = bySid.keySet().iterator();
    while (bySid.size() > maxCalls) {
      claimed.remove(oldest.next());
      oldest.remove();
    }
  }

  /** The call changed by {@code change}; empty when it has been forgotten. */
  synchronized Optional<SandboxCall> update(String sid, UnaryOperator<SandboxCall> change) {
    SandboxCall call = bySid.get(sid);
    if (call == null) {
      return Optional.empty();
    }
    SandboxCall changed = change.apply(call);
    bySid.put(sid, changed);
    return Optional.of(changed);
  }

  synchronized Optional<SandboxCall> find(String sid) {
    return Optional.ofNullable(bySid.get(sid));
  }

  /** The calls to this number, oldest first. */
  synchronized List<SandboxCall> to(String phone) {
    return bySid.values().stream().filter(c -> c.to().equals(phone)).toList();
  }

  /** Every call, newest first. */
  synchronized List<SandboxCall> newestFirst() {
    List<SandboxCall> all = new ArrayList<>(bySid.values());
    Collections.reverse(all);
    return all;
  }

  /**
   * Takes the call for a key press, if it is listening for keys and nobody else is pressing on it;
   * {@link #release} gives it back.
   */
  synchronized Optional<SandboxCall> claim(String sid) {
    SandboxCall call = bySid.get(sid);
    if (call == null || !call.awaitingKeys() || !claimed.add(sid)) {
      return Optional.empty();
    }
    return Optional.of(call);
  }

  /** The oldest call to this number that is listening for keys and not claimed, claimed. */
  synchronized Optional<SandboxCall> claimOldestAwaiting(String phone) {
    for (SandboxCall call : bySid.values()) {
      if (call.to().equals(phone) && call.awaitingKeys() && !claimed.contains(call.sid())) {
        claimed.add(call.sid());
        return Optional.of(call);
      }
    }
    return Optional.empty();
  }

  synchronized void release(String sid) {
    claimed.remove(sid);
  }
}
