package io.optin.devkit.demo;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.MessageChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What optin's topics said about one subscriber (a program and a phone), as read by the {@link
 * OutcomeObserver}. Immutable: each record read makes a new one.
 *
 * @param confirmations every SubscriberConfirmed, by method (exactly one is right for a confirmed
 *     subscriber)
 * @param confirmedVia the channel of each of those confirmations, in the same order (null: none)
 * @param closed how the challenge closed, or null while it is open (or was never issued)
 * @param closedReason the reason given with the closure, or null
 * @param smsFailure Twilio's error code of a FAILED send reported by the sender, or null
 * @param rejects the HTTP statuses of the signup's refusals recorded on the reject topic
 */
record Observed(
    List<ConfirmationMethod> confirmations,
    List<MessageChannel> confirmedVia,
    ChallengeOutcome closed,
    String closedReason,
    Integer smsFailure,
    List<Integer> rejects) {

  static final Observed NOTHING = new Observed(List.of(), List.of(), null, null, null, List.of());

  Observed {
    confirmations = List.copyOf(confirmations);
    confirmedVia = Collections.unmodifiableList(new ArrayList<>(confirmedVia));
    rejects = List.copyOf(rejects);
  }

  /** A confirmation by SMS (or, for a code entry, by no channel). */
  Observed confirmedBy(ConfirmationMethod method) {
    return confirmedBy(method, method == ConfirmationMethod.CODE_ENTRY ? null : MessageChannel.SMS);
  }

  Observed confirmedBy(ConfirmationMethod method, MessageChannel via) {
    List<ConfirmationMethod> more = new ArrayList<>(confirmations);
    more.add(method);
    List<MessageChannel> channels = new ArrayList<>(confirmedVia);
    channels.add(via);
    return new Observed(more, channels, closed, closedReason, smsFailure, rejects);
  }

  Observed closedAs(ChallengeOutcome outcome, String reason) {
    return new Observed(confirmations, confirmedVia, outcome, reason, smsFailure, rejects);
  }

  Observed smsFailed(Integer errorCode) {
    return new Observed(confirmations, confirmedVia, closed, closedReason, errorCode, rejects);
  }

  Observed rejected(int status) {
    List<Integer> more = new ArrayList<>(rejects);
    more.add(status);
    return new Observed(confirmations, confirmedVia, closed, closedReason, smsFailure, more);
  }
}
