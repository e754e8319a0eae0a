package io.optin.devkit.demo;

import java.time.Instant;

/**
 * What the driver did for one subscriber and what optin answered it over HTTP; written by the
 * driver's threads, read by the judge and the progress line.
 */
final class DrivenSubscriber {

  /** How the inbound webhook's TwiML answered a reply. */
  enum Answer {
    CONFIRMED,
    EXPIRED,
    OPTED_OUT,
    OTHER,
    FAILED
  }

  private final DemoSubscriber subscriber;
  private volatile Integer signupStatus;
  private volatile Instant signupAcceptedAt;
  private volatile Instant smsArrivedAt;
  private volatile Instant answeredAt;
  private volatile Answer replyAnswer;
  private volatile Integer codeEntryStatus;
  private volatile Integer resignupStatus;
  private volatile String problem;
  private volatile boolean finished;

  DrivenSubscriber(DemoSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  DemoSubscriber subscriber() {
    return subscriber;
  }

  void signedUp(int status, Instant at) {
    this.signupStatus = status;
    if (status == 202) {
      this.signupAcceptedAt = at;
    }
  }

  void smsArrived(Instant at) {
    this.smsArrivedAt = at;
  }

  void answered(Instant at) {
    this.answeredAt = at;
  }

  void replyAnswered(Answer answer) {
    this.replyAnswer = answer;
  }

  void codeEntered(int status) {
    this.codeEntryStatus = status;
  }

  void signedUpAgain(int status) {
    this.resignupStatus = status;
  }

  /**
   * Something the script could not do (no SMS, no code in it, an HTTP failure); the path then
   * stops.
   */
  void failed(String what) {
    this.problem = what;
  }

  void finish() {
    this.finished = true;
  }

  Integer signupStatus() {
    return signupStatus;
  }

  Instant signupAcceptedAt() {
    return signupAcceptedAt;
  }

  Instant smsArrivedAt() {
    return smsArrivedAt;
  }

  Instant answeredAt() {
    return answeredAt;
  }

  Answer replyAnswer() {
    return replyAnswer;
  }

  Integer codeEntryStatus() {
    return codeEntryStatus;
  }

  Integer resignupStatus() {
    return resignupStatus;
  }

  String problem() {
    return problem;
  }

  boolean finished() {
    return finished;
  }
}
