package io.optin.devkit.demo;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.MessageChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Says in words what happened to one subscriber, from what the driver saw over HTTP and what the
 * topics said; the words are those of {@link DemoPath#expected()}, so a subscriber ended as its
 * path requires exactly when the two texts are equal. Extra facts (a second confirmation, a
 * confirmation on a path that must not confirm, a challenge left open) change the text, so they can
 * never pass unnoticed.
 */
final class OutcomeJudge {

  private OutcomeJudge() {}

  static boolean matches(DrivenSubscriber driven, Observed observed) {
    return describe(driven, observed).equals(driven.subscriber().path().expected());
  }

  static String describe(DrivenSubscriber driven, Observed observed) {
    List<String> facts = new ArrayList<>();
    Integer signup = driven.signupStatus();
    if (signup == null) {
      facts.add("not signed up");
    } else if (signup != 202) {
      facts.add(signup + " at signup");
      facts.add(observed.rejects().contains(signup) ? "reject recorded" : "no reject recorded");
    } else {
      challengeFacts(driven, observed, facts);
    }
    if (driven.problem() != null) {
      facts.add("driver: " + driven.problem());
    }
    return String.join(", ", facts);
  }

  private static void challengeFacts(
      DrivenSubscriber driven, Observed observed, List<String> facts) {
    if (observed.smsFailure() != null) {
      facts.add("SMS failed (" + observed.smsFailure() + ")");
    }
    if (driven.subscriber().path() == DemoPath.LATE_ANSWER && driven.replyAnswer() != null) {
      facts.add(
          "late YES answered "
              + driven.replyAnswer().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    int confirmations = observed.confirmations().size();
    if (confirmations > 0) {
      facts.add(
          "confirmed "
              + (confirmations == 1 ? "once" : confirmations + " times")
              + " by "
              + IntStream.range(0, confirmations)
                  .mapToObj(
                      i ->
                          (observed.confirmedVia().get(i) == MessageChannel.WHATSAPP
                                  ? "WhatsApp "
                                  : "")
                              + method(observed.confirmations().get(i)))
                  .distinct()
                  .collect(Collectors.joining(" and ")));
      if (observed.closed() != ChallengeOutcome.CONFIRMED) {
        facts.add(
            "challenge "
                + (observed.closed() == null ? "still open" : "closed " + observed.closed()));
      }
    } else if (observed.closed() != null) {
      boolean withReason =
          observed.closed() == ChallengeOutcome.REJECTED && observed.closedReason() != null;
      facts.add(
          "closed " + observed.closed() + (withReason ? " (" + observed.closedReason() + ")" : ""));
    } else {
      facts.add("still open");
    }
    if (driven.resignupStatus() != null) {
      facts.add("new signup " + driven.resignupStatus());
    }
  }

  private static String method(ConfirmationMethod method) {
    return switch (method) {
      case REPLY_YES -> "YES";
      case REPLY_CODE -> "code reply";
      case CODE_ENTRY -> "code entry";
      case VOICE_KEYPRESS -> "key 1 on call";
      default -> method.name();
    };
  }
}
