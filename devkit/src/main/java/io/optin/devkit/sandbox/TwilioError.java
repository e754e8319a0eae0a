package io.optin.devkit.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of Twilio's REST API: HTTP status, Twilio error code and message, as {@code
 * {"code":21211,"message":"…","more_info":"https://www.twilio.com/docs/errors/21211","status":400}}.
 */
record TwilioError(int httpStatus, int code, String message) {

  static TwilioError authenticate() {
    return new TwilioError(401, 20003, "Authenticate");
  }

  static TwilioError notFound(String path) {
    return new TwilioError(404, 20404, "The requested resource " + path + " was not found");
  }

  static TwilioError methodNotAllowed(String method) {
    return new TwilioError(405, 20004, "Method not allowed: " + method);
  }

  static TwilioError toRequired() {
    return new TwilioError(400, 21604, "A 'To' phone number is required.");
  }

  static TwilioError fromRequired() {
    return new TwilioError(400, 21603, "A 'From' phone number is required.");
  }

  static TwilioError bodyRequired() {
    return new TwilioError(400, 21602, "Message body is required.");
  }

  static TwilioError bodyTooLong() {
    return new TwilioError(
        400, 21617, "The concatenated message body exceeds the 1600 character limit.");
  }

  /**
   * A request body above the sandbox's cap. Twilio's edge refuses such bodies with a bare 413 and
   * no error code of its own, so the code is the status.
   */
  /**
   * What the sandbox's port answers itself (a body above the cap, a malformed target, no thread
   * free), worded as Twilio words its messages.
   */
  static TwilioError refusedByPort(int status, String reason) {
    String sentence =
        reason.isEmpty() ? reason : Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
    return new TwilioError(status, status, sentence.endsWith(".") ? sentence : sentence + ".");
  }

  static TwilioError bodyTooLarge(int maxBytes) {
    return new TwilioError(413, 413, "The request body is larger than " + maxBytes + " bytes.");
  }

  /** A form body whose percent-encoding does not decode; like the above, no Twilio code exists. */
  static TwilioError malformedForm() {
    return new TwilioError(400, 400, "The request body is not a valid URL-encoded form.");
  }

  static TwilioError invalidTo(String to) {
    return new TwilioError(400, 21211, "The 'To' number " + to + " is not a valid phone number.");
  }

  static TwilioError invalidFrom(String from) {
    return new TwilioError(
        400,
        21212,
        "The 'From' number "
            + from
            + " is not a valid phone number, shortcode, or alphanumeric sender ID.");
  }

  static TwilioError invalidMessagingService(String sid) {
    return new TwilioError(400, 21701, "The Messaging Service Sid " + sid + " is invalid.");
  }

  String moreInfo() {
    return "https://www.twilio.com/docs/errors/" + code;
  }

  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", code);
    json.put("message", message);
    json.put("more_info", moreInfo());
    json.put("status", httpStatus);
    return json;
  }
}
