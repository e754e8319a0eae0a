package io.optin.dispatcher.sender;

import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.message.RenderedSms;
import io.optin.dispatcher.sms.OutgoingCall;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.OutgoingWhatsApp;
import java.util.List;

/** What to do with one outbox command, decided on the send loop before any provider call. */
sealed interface SendPlan {

  /** Already handled (a report exists, or another copy is in flight): nothing to do. */
  record Skip() implements SendPlan {}

  /** Settled without the provider (cannot be rendered, code expired): commit the report. */
  record Done(SmsDeliveryReport report) implements SendPlan {}

  /**
   * To send: commit {@code intent} first, then look the command's {@code earlier} unresolved
   * intents up at the provider (when there are any) and send only if none is found. Exactly one of
   * {@code sms}, {@code call} and {@code whatsApp} is set, by the command's channel; {@code
   * message} holds the masked text reported for any of them.
   */
  record Send(
      SmsSendRequested command,
      RenderedSms message,
      OutgoingSms sms,
      SmsSendIntent intent,
      List<SmsSendIntent> earlier,
      OutgoingCall call,
      OutgoingWhatsApp whatsApp)
      implements SendPlan {

    /** An SMS. */
    Send(
        SmsSendRequested command,
        RenderedSms message,
        OutgoingSms sms,
        SmsSendIntent intent,
        List<SmsSendIntent> earlier) {
      this(command, message, sms, intent, earlier, null, null);
    }
  }
}
