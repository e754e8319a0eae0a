package io.optin.ingest;

import io.optin.avro.OptInStatus;
import java.util.Optional;

/**
 * What the front door knows of a phone's standing, from the compacted {@code
 * optin.subscriber-status.v1}, so it can answer 409 at once instead of accepting a signup the
 * dispatcher would suppress. Eventually consistent: the dispatcher remains the guarantee.
 */
public interface SubscriberStatusView {

  /** The latest status of the phone for the program, if one was seen. */
  Optional<OptInStatus> status(String programId, String phoneE164);

  /**
   * Whether the phone is opted out: STOP opts a phone out of every program sending from our
   * numbers, so an {@code OPTED_OUT} status for any program counts until START lifts it.
   */
  boolean isOptedOut(String phoneE164);
}
