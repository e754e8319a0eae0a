package io.optin.systemtests.fuzz;

import java.util.Set;

/**
 * One generated request and what the generator knows of it (the oracle): whether it is hostile (it
 * must never be accepted with a 2xx), which statuses a hardened server answers, which field a 400
 * must name, and whether a 4xx must be the API's JSON error.
 *
 * @param endpoint the row of the report this input is counted in
 * @param target the port it is sent to
 * @param request the whole request, bytes as sent on the socket
 * @param hostile true when any 2xx answer is a failure
 * @param expected the statuses a hardened server may answer; empty means any below 500
 * @param field the field a 400 answer must name, or null when the answer need not name one
 * @param apiJson whether a 4xx answer must be {@code {"error":...}} (a request that reached a
 *     {@code /v1} route, as opposed to one refused by the HTTP layer)
 * @param label a short human description, for the list of failures
 */
record FuzzInput(
    String endpoint,
    Target target,
    byte[] request,
    boolean hostile,
    Set<Integer> expected,
    String field,
    boolean apiJson,
    String label) {

  /** Where an input is sent. */
  enum Target {
    GATEWAY,
    REGISTRY
  }

  /** A hostile input that must be answered with one of {@code expected}. */
  static FuzzInput hostile(
      String endpoint, byte[] request, boolean apiJson, String label, Integer... expected) {
    return new FuzzInput(
        endpoint, Target.GATEWAY, request, true, Set.of(expected), null, apiJson, label);
  }

  /** A valid input: anything below 500 is fine unless {@code expected} says otherwise. */
  static FuzzInput valid(String endpoint, byte[] request, String label, Integer... expected) {
    return new FuzzInput(
        endpoint, Target.GATEWAY, request, false, Set.of(expected), null, true, label);
  }

  FuzzInput naming(String expectedField) {
    return new FuzzInput(
        endpoint, target, request, hostile, expected, expectedField, apiJson, label);
  }

  FuzzInput to(Target other) {
    return new FuzzInput(endpoint, other, request, hostile, expected, field, apiJson, label);
  }
}
