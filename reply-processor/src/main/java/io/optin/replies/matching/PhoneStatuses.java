package io.optin.replies.matching;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The status of one phone for every program it is known to, keyed by program id. Immutable. */
public record PhoneStatuses(Map<String, ProgramStatus> programs) {

  public static final PhoneStatuses EMPTY = new PhoneStatuses(Map.of());

  public PhoneStatuses {
    // Sorted so the records a STOP emits, one per program, come out in a stable order.
    programs = programs == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(programs));
  }

  public Optional<ProgramStatus> of(String programId) {
    return Optional.ofNullable(programs.get(programId));
  }

  public PhoneStatuses with(String programId, ProgramStatus status) {
    Map<String, ProgramStatus> next = new TreeMap<>(programs);
    next.put(programId, status);
    return new PhoneStatuses(next);
  }
}
