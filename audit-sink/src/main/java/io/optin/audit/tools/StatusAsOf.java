package io.optin.audit.tools;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.OptInStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The opt-in status of a subject for a program at any past instant, by replaying the subject's
 * ledger records in chain order up to that instant (event time): a signup makes it PENDING, a
 * challenge's close CONFIRMED, EXPIRED, REJECTED or LOCKED, STOP opts the phone out of every
 * program (including later signups) until START, which makes opted-out programs UNKNOWN again and
 * confirms nothing (FLOW.md); an OPTED_OUT naming a program (a STOP of scope program) opts out that
 * program alone. Pure.
 */
public final class StatusAsOf {

  private static final Set<OptInStatus> OPEN_TO_SIGNUP =
      Set.of(OptInStatus.UNKNOWN, OptInStatus.EXPIRED, OptInStatus.REJECTED, OptInStatus.LOCKED);

  private final Map<String, ProvenStatus> programs = new LinkedHashMap<>();
  private final Instant at;
  private ProvenStatus optedOut;
  private String lastConfirmingMethod;

  private StatusAsOf(Instant at) {
    this.at = at;
  }

  /** The status of {@code programId} at {@code at}, from one subject's records in chain order. */
  public static ProvenStatus of(
      List<ConsentAuditRecord> subjectRecords, String programId, Instant at) {
    return replay(subjectRecords, at).statusOf(programId);
  }

  /** The status at {@code at} of every program the subject's records name. */
  public static List<ProvenStatus> allPrograms(
      List<ConsentAuditRecord> subjectRecords, Instant at) {
    StatusAsOf replay = replay(subjectRecords, at);
    List<ProvenStatus> all = new ArrayList<>();
    for (ConsentAuditRecord record : subjectRecords) {
      String program = record.getProgramId();
      if (program != null && all.stream().noneMatch(s -> s.programId().equals(program))) {
        all.add(replay.statusOf(program));
      }
    }
    return all;
  }

  private static StatusAsOf replay(List<ConsentAuditRecord> subjectRecords, Instant at) {
    StatusAsOf replay = new StatusAsOf(at);
    subjectRecords.stream().filter(r -> !r.getOccurredAt().isAfter(at)).forEach(replay::apply);
    return replay;
  }

  private ProvenStatus statusOf(String programId) {
    ProvenStatus status = programs.get(programId);
    if (status != null) {
      return status;
    }
    // A program never signed up for while the phone is opted out is opted out too (STOP covers
    // future signups).
    return optedOut == null
        ? ProvenStatus.unknown(programId, at)
        : new ProvenStatus(
            programId,
            at,
            OptInStatus.OPTED_OUT,
            optedOut.since(),
            optedOut.eventId(),
            optedOut.method());
  }

  private void apply(ConsentAuditRecord r) {
    String program = r.getProgramId();
    ConsentEventType type = r.getEventType();
    switch (type) {
      case REQUESTED -> {
        if (optedOut == null && OPEN_TO_SIGNUP.contains(current(program))) {
          set(program, OptInStatus.PENDING, r, null);
        }
      }
      case REPLY_RECEIVED -> {
        if ("intent CONFIRM".equals(r.getDetail())) {
          lastConfirmingMethod = "REPLY_YES";
        } else if ("intent CODE".equals(r.getDetail())) {
          lastConfirmingMethod = "REPLY_CODE";
        }
      }
      case CODE_ATTEMPTED -> lastConfirmingMethod = "CODE_ENTRY";
      case CONFIRMED ->
          set(
              program,
              OptInStatus.CONFIRMED,
              r,
              r.getMethod() != null ? r.getMethod() : lastConfirmingMethod);
      case EXPIRED -> set(program, OptInStatus.EXPIRED, r, null);
      case LOCKED -> set(program, OptInStatus.LOCKED, r, null);
      case REJECTED -> {
        if (program != null) {
          boolean stop = r.getDetail() != null && r.getDetail().startsWith("opted out");
          set(
              program,
              stop ? OptInStatus.OPTED_OUT : OptInStatus.REJECTED,
              r,
              stop ? "REPLY_STOP" : null);
        }
      }
      case OPTED_OUT -> {
        if (program != null) {
          set(program, OptInStatus.OPTED_OUT, r, r.getMethod());
          return;
        }
        optedOut =
            new ProvenStatus(
                null, at, OptInStatus.OPTED_OUT, r.getOccurredAt(), r.getEventId(), r.getMethod());
        programs.replaceAll(
            (id, s) ->
                new ProvenStatus(
                    id,
                    at,
                    OptInStatus.OPTED_OUT,
                    r.getOccurredAt(),
                    r.getEventId(),
                    r.getMethod()));
      }
      case OPTED_IN -> {
        optedOut = null;
        programs.replaceAll(
            (id, s) -> s.status() == OptInStatus.OPTED_OUT ? ProvenStatus.unknown(id, at) : s);
      }
      default -> {}
    }
  }

  private OptInStatus current(String program) {
    ProvenStatus status = programs.get(program);
    return status == null ? OptInStatus.UNKNOWN : status.status();
  }

  private void set(String program, OptInStatus status, ConsentAuditRecord r, String method) {
    if (program != null) {
      programs.put(
          program,
          new ProvenStatus(program, at, status, r.getOccurredAt(), r.getEventId(), method));
    }
  }
}
