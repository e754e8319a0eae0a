package io.optin.devkit.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's memory of every message, grouped by subscriber phone, bounded: the oldest messages
 * of a phone and the least recently active phones are forgotten first.
 */
final class MessageLog {

  private final int maxPerPhone;
  private final int maxPhones;

  /** In order of last activity: the first phone is the one that has been quiet longest. */
  private final LinkedHashMap<String, Deque<SandboxMessage>> byPhone = new LinkedHashMap<>();

  private final Map<String, String> phoneBySid = new HashMap<>();

  MessageLog(int maxPerPhone, int maxPhones) {
    if (maxPerPhone < 1 || maxPhones < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxPerPhone = maxPerPhone;
    this.maxPhones = maxPhones;
  }

  synchronized void add(SandboxMessage message) {
    String phone = message.subscriberPhone();
    Deque<SandboxMessage> messages = byPhone.remove(phone);
    if (messages == null) {
      messages = new ArrayDeque<>();
    }
    byPhone.put(phone, messages);
    messages.addLast(message);
    phoneBySid.put(message.sid(), phone);
    while (messages.size() > maxPerPhone) {
      phoneBySid.remove(messages.removeFirst().sid());
    }
    Iterator<Map.Entry<String, Deque<SandboxMessage>>> oldest = byPhone.entrySet().iterator();
    while (byPhone.size() > maxPhones) {
      oldest.next().getValue().forEach(forgotten -> phoneBySid.remove(forgotten.sid()));
      oldest.remove();
    }
  }

  /** Replaces the message with the same sid; false when it has been forgotten. */
  synchronized boolean replace(SandboxMessage updated) {
    String phone = phoneBySid.get(updated.sid());
    Deque<SandboxMessage> messages = phone == null ? null : byPhone.get(phone);
    if (messages == null) {
      return false;
    }
    List<SandboxMessage> copy = new ArrayList<>(messages);
    copy.replaceAll(m -> m.sid().equals(updated.sid()) ? updated : m);
    messages.clear();
    messages.addAll(copy);
    return true;
  }

  synchronized Optional<SandboxMessage> find(String sid) {
    String phone = phoneBySid.get(sid);
    Deque<SandboxMessage> messages = phone == null ? null : byPhone.get(phone);
    if (messages == null) {
      return Optional.empty();
    }
    return messages.stream().filter(m -> m.sid().equals(sid)).findFirst();
  }

  /** Oldest first. */
  synchronized List<SandboxMessage> conversation(String phone) {
    Deque<SandboxMessage> messages = byPhone.get(phone);
    return messages == null ? List.of() : List.copyOf(messages);
  }

  /** Every conversation, most recently active first, each newest message first. */
  synchronized Map<String, List<SandboxMessage>> conversationsNewestFirst() {
    List<String> phones = new ArrayList<>(byPhone.keySet());
    Collections.reverse(phones);
    Map<String, List<SandboxMessage>> result = new LinkedHashMap<>();
    for (String phone : phones) {
      List<SandboxMessage> newestFirst = new ArrayList<>(byPhone.get(phone));
      Collections.reverse(newestFirst);
      result.put(phone, List.copyOf(newestFirst));
    }
    return result;
  }
}
