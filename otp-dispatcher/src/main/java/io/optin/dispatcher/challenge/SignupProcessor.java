package io.optin.dispatcher.challenge;

import io.optin.avro.SignupRequested;
import io.optin.domain.screening.ScreenResult;
import io.optin.domain.screening.SignupScreen;
import io.optin.kit.streams.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the challenge decision to each signup: unreadable, invalid or mis-keyed signups go to the
 * rejects topic with their raw bytes; a valid one yields one challenge event and at most one send
 * command.
 */
final class SignupProcessor
    implements Processor<byte[], Decoded<SignupRequested>, String, SpecificRecord> {

  /**
   * The key must be the normalised phone: it places the signup in the partition (and store) that
   * also sees the phone's STOP replies and closed challenges; a signup elsewhere could text a phone
   * that opted out.
   */
  static final String KEY_MISMATCH =
      "record key must be the signup's phone in E.164, so that it shares the partition of the phone's replies";

  private final ChallengeDecider decider;
  private final SignupScreen screen;
  private final RefusedRecords refused;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, PhoneStanding> phones;

  SignupProcessor(ChallengeDecider decider, SignupScreen screen, RefusedRecords refused) {
    this.decider = decider;
    this.screen = screen;
    this.refused = refused;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.phones = context.getStateStore(ChallengeTopology.STORE);
  }

  @Override
  public void process(Record<byte[], Decoded<SignupRequested>> record) {
    Decoded<SignupRequested> decoded = record.value();
    if (!decoded.isOk()) {
      reject(record, decoded.reason(), decoded.field());
      return;
    }
    ScreenResult verdict = screen.screen(decoded.value());
    if (verdict instanceof ScreenResult.Refused refusal) {
      reject(record, refusal.reason(), refusal.field());
      return;
    }
    SignupRequested signup = ((ScreenResult.Accepted) verdict).signup();
    String phone = signup.getPhone();
    if (record.key() == null || !phone.equals(new String(record.key(), StandardCharsets.UTF_8))) {
      reject(record, KEY_MISMATCH, "phone");
      return;
    }
    decide(phone, signup);
  }

  private void decide(String phone, SignupRequested signup) {
    PhoneStanding state = phones.get(phone);
    SignupDecision decision = decider.decide(state == null ? PhoneStanding.EMPTY : state, signup);
    if (decision.state().isEmpty()) {
      phones.delete(phone);
    } else {
      phones.put(phone, decision.state());
    }
    long t = signup.getOccurredAt().toEpochMilli();
    context.forward(
        new Record<String, SpecificRecord>(phone, decision.event(), t),
        ChallengeTopology.TO_CHALLENGES);
    decision
        .sms()
        .ifPresent(
            command ->
                context.forward(
                    new Record<String, SpecificRecord>(phone, command, t),
                    ChallengeTopology.TO_SMS_OUTBOUND));
  }

  private void reject(
      Record<byte[], Decoded<SignupRequested>> record, String reason, String field) {
    byte[] rawKey = record.key();
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    var rejected =
        refused.signupRejected(
            rawKey, record.value().raw(), context.recordMetadata(), reason, field, now);
    String key = rawKey == null ? null : new String(rawKey, StandardCharsets.UTF_8);
    context.forward(
        new Record<String, SpecificRecord>(key, rejected, record.timestamp()),
        ChallengeTopology.TO_SIGNUP_REJECTS);
  }
}
