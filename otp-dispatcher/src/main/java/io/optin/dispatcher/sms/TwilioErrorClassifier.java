package io.optin.dispatcher.sms;

import com.fasterxml.jackson.core.JacksonException;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import java.io.IOException;
import java.util.Set;

/**
 * Sorts a failed Twilio call into "retry later" or "give up": throttling, server errors and network
 * failures are transient; a 4xx with a Twilio error code (21211 invalid number, 21610 unsubscribed,
 * 21614 not a mobile, 21408 no permission for the region, 20003 bad credentials, …) is permanent.
 */
public final class TwilioErrorClassifier {

  /** Twilio error codes that mean "not now" even when the HTTP status is a 4xx. */
  static final Set<Integer> TRANSIENT_CODES =
      Set.of(
          20429, // too many requests
          20500, // internal server error
          20503, // service unavailable
          21611, // sender's queue of pending messages is full
          14107, // message rate limit exceeded
          30001 // queue overflow
          );

  private TwilioErrorClassifier() {}

  public static SendResult classify(TwilioException failure) {
    String message = failure.getMessage();
    if (failure instanceof ApiConnectionException || hasNetworkCause(failure)) {
      // No HTTP answer: refused, reset, timed out. A timed-out request may still have been
      // accepted, which
      // is the price of retrying it; the retry budget bounds the duplicates.
      return new SendResult.TransientFailure(null, codeOf(failure), message);
    }
    if (!(failure instanceof ApiException api)) {
      return new SendResult.PermanentFailure(null, message);
    }
    Integer status = api.getStatusCode() != null ? api.getStatusCode() : api.getHttpStatusCode();
    Integer code = api.getCode();
    if ((status != null && (status == 429 || status >= 500))
        || (code != null && TRANSIENT_CODES.contains(code))) {
      return new SendResult.TransientFailure(status, code, message);
    }
    // Any other answer, including one we could not read: sending again could deliver the SMS twice.
    return new SendResult.PermanentFailure(code, message);
  }

  private static Integer codeOf(TwilioException failure) {
    return failure instanceof ApiException api ? api.getCode() : null;
  }

  /**
   * An I/O failure other than a JSON one (Jackson's exceptions are IOExceptions too, but the answer
   * came).
   */
  private static boolean hasNetworkCause(Throwable failure) {
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof JacksonException) {
        return false;
      }
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
