package io.optin.systemtests.crash;

import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMS each phone received through the provider's API, as the sandbox recorded them: what a
 * subscriber would count on the handset (TwiML answers to replies are not counted).
 */
record SmsTally(Map<String, Integer> perPhone) {

  static SmsTally of(TwilioSandbox sandbox, Collection<String> phones) {
    Map<String, Integer> perPhone = new LinkedHashMap<>();
    phones.forEach(
        phone ->
            perPhone.put(
                phone,
                (int)
                    sandbox.messagesTo(phone).stream()
                        .filter(m -> SandboxMessage.OUTBOUND_API.equals(m.direction()))
                        .count()));
    return new SmsTally(Map.copyOf(perPhone));
  }

  int total() {
    return perPhone.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** SMS beyond the first of each phone. */
  int extra() {
    return perPhone.values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
  }

  List<String> phonesWithout() {
    return perPhone.entrySet().stream()
        .filter(e -> e.getValue() == 0)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  long phonesWithMoreThanOne() {
    return perPhone.values().stream().filter(n -> n > 1).count();
  }
}
