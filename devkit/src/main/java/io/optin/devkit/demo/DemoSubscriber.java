package io.optin.devkit.demo;

/**
 * One synthetic subscriber of a demo run: who signs up (phone as typed, program, IP the platform
 * saw) and what it then does.
 *
 * @param number 1-based position in the plan
 * @param phone the phone as sent to {@code POST /v1/signups}; E.164 except for subscribers refused
 *     at signup
 */
public record DemoSubscriber(int number, DemoPath path, String phone, String programId, String ip) {

  /** Identifies the subscriber in what the topics say: a phone signs up once per program. */
  public String key() {
    return keyOf(programId, phone);
  }

  public static String keyOf(String programId, String phone) {
    return programId + " " + phone;
  }
}
