package io.optin.replies.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SourceChannel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusBookTest {

  private final StatusBook book = new StatusBook();

  private static OpenChallenge challenge(String id, String programId) {
    return new OpenChallenge(
        id, programId, "s-" + id, null, 0, 600_000, 0, 0, "en-US", SourceChannel.API, null, null);
  }

  @Test
  void shouldNotLetAnOldChallengeClosingOverwriteTheStatusOfANewerOne() {
    PhoneStatuses statuses = book.issued(PhoneStatuses.EMPTY, challenge("new", "p1"), 10).next();

    StatusBook.Transition t =
        book.closed(
            statuses,
            List.of(
                new Closure(
                    challenge("old", "p1"), ChallengeOutcome.EXPIRED, "window passed", null, 20)));

    assertThat(t.changes()).isEmpty();
    assertThat(t.next()).isEqualTo(statuses);
  }

  @Test
  void shouldOptOutEveryKnownProgramOnStopAndLiftOnlyThoseOnStart() {
    PhoneStatuses statuses = book.issued(PhoneStatuses.EMPTY, challenge("c1", "p1"), 10).next();
    Closure rejected =
        new Closure(
            challenge("c2", "p2"), ChallengeOutcome.REJECTED, "opted out by STOP", null, 30);

    StatusBook.Transition stop = book.optedOut(statuses, List.of(rejected), Set.of("p3"), 30);
    StatusBook.Transition start = book.optedIn(stop.next(), 40);

    assertThat(stop.changes())
        .extracting(c -> c.programId() + "=" + c.status().status() + "/" + c.status().challengeId())
        .containsExactly("p1=OPTED_OUT/c1", "p2=OPTED_OUT/c2", "p3=OPTED_OUT/null");
    assertThat(start.changes())
        .extracting(c -> c.programId() + "=" + c.status().status())
        .containsExactly("p1=NONE", "p2=NONE", "p3=NONE");
    assertThat(book.optedIn(start.next(), 50).changes()).isEmpty();
  }
}
