package io.optin.ingest;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP answer to one signup submission: status, JSON body, and for 429 the time after which to
 * retry.
 *
 * @param status the HTTP status
 * @param body the JSON object to send
 * @param retryAfter for 429 and a 503 of the shared limits, the wait to put in {@code Retry-After};
 *     null otherwise
 */
public record SignupAnswer(int status, Map<String, Object> body, Duration retryAfter) {

  public SignupAnswer {
    body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
  }

  static SignupAnswer pending(String signupId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("signupId", signupId);
    body.put("status", "pending");
    return new SignupAnswer(202, body, null);
  }

  static SignupAnswer error(int status, String reason, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", reason);
    if (field != null) {
      body.put("field", field);
    }
    return new SignupAnswer(status, body, null);
  }

  static SignupAnswer unavailable(String reason, Duration retryAfter) {
    return new SignupAnswer(503, error(503, reason, null).body(), retryAfter);
  }

  static SignupAnswer tooManyRequests(String reason, String field, Duration retryAfter) {
    SignupAnswer error = error(429, reason, field);
    return new SignupAnswer(429, error.body(), retryAfter);
  }

  /** {@code Retry-After} in whole seconds, rounded up and at least 1, or null. */
  public Long retryAfterSeconds() {
    if (retryAfter == null) {
      return null;
    }
    long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }

  public String error() {
    return (String) body.get("error");
  }

  public String field() {
    return (String) body.get("field");
  }
}
