package io.optin.replies.lookup;

import io.optin.replies.matching.ProgramStatus;
import java.util.Map;

/** Reads a phone's status per program as the reply topology keeps it. */
public interface StatusLookup {

  /**
   * @return program id -> status; empty when the phone is unknown
   * @throws LookupUnavailableException when the store cannot be read right now (starting,
   *     rebalancing)
   */
  Map<String, ProgramStatus> statuses(String phone);
}
