package io.optin.devkit.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides per destination what the sandbox reports after accepting an SMS; the first rule whose
 * suffix ends the 'To' number wins, anything else is delivered. WhatsApp messages are not scripted:
 * they are delivered (unless to a {@link MagicNumbers magic number}).
 *
 * <p>The {@link #standard()} script follows a mnemonic, the last four digits name the Twilio error
 * code: numbers ending in 3003 are undelivered with 30003 (unreachable handset), 3005 with 30005
 * (unknown handset), 3006 with 30006 (landline); 3008 fails with 30008 (unknown error); numbers
 * ending in 7777 stay "sent" forever.
 */
public final class DeliveryScript {

  private record Rule(String suffix, DeliveryOutcome outcome) {}

  private final List<Rule> rules;

  private DeliveryScript(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Everything delivered. */
  public static DeliveryScript allDelivered() {
    return new DeliveryScript(List.of());
  }

  public static DeliveryScript standard() {
    return allDelivered()
        .when("3003", DeliveryOutcome.undelivered(30003))
        .when("3005", DeliveryOutcome.undelivered(30005))
        .when("3006", DeliveryOutcome.undelivered(30006))
        .when("3008", DeliveryOutcome.failed(30008))
        .when("7777", DeliveryOutcome.SENT_ONLY);
  }

  /** A copy with one more rule, checked after the existing ones. */
  public DeliveryScript when(String toSuffix, DeliveryOutcome outcome) {
    if (toSuffix == null || toSuffix.isEmpty()) {
      throw new IllegalArgumentException("suffix must not be empty");
    }
    List<Rule> more = new ArrayList<>(rules);
    more.add(new Rule(toSuffix, outcome));
    return new DeliveryScript(more);
  }

  public DeliveryOutcome outcomeFor(String to) {
    for (Rule rule : rules) {
      if (to.endsWith(rule.suffix())) {
        return rule.outcome();
      }
    }
    return DeliveryOutcome.DELIVERED;
  }

  /** Suffix → outcome, in rule order, for the sandbox page. */
  Map<String, DeliveryOutcome> rules() {
    Map<String, DeliveryOutcome> view = new LinkedHashMap<>();
    rules.forEach(rule -> view.putIfAbsent(rule.suffix(), rule.outcome()));
    return view;
  }
}
