package io.optin.dispatcher.sender;

import io.optin.dispatcher.sms.LookupResult;
import io.optin.dispatcher.sms.OutgoingCall;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.OutgoingWhatsApp;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.SentMessageQuery;
import io.optin.dispatcher.sms.SmsGateway;
import java.util.Objects;

/** Sends through another gateway no faster than its {@link SendPacer} allows. */
final class PacedSmsGateway implements SmsGateway {

  private final SmsGateway delegate;
  private final SendPacer pacer;

  PacedSmsGateway(SmsGateway delegate, SendPacer pacer) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.pacer = Objects.requireNonNull(pacer, "pacer");
  }

  @Override
  public SendResult send(OutgoingSms sms) {
    try {
      pacer.acquire();
    } catch (InterruptedException e) {
      // Shutting down before the request left: nothing was sent, so the failure is a transient one.
      Thread.currentThread().interrupt();
      return new SendResult.TransientFailure(null, null, "interrupted before sending");
    }
    return delegate.send(sms);
  }

  /** Calls share the account's request rate with SMS. */
  @Override
  public SendResult call(OutgoingCall call) {
    if (!acquired()) {
      return new SendResult.TransientFailure(null, null, "interrupted before calling");
    }
    return delegate.call(call);
  }

  /** WhatsApp messages share the account's request rate with SMS. */
  @Override
  public SendResult sendWhatsApp(OutgoingWhatsApp message) {
    if (!acquired()) {
      return new SendResult.TransientFailure(null, null, "interrupted before sending");
    }
    return delegate.sendWhatsApp(message);
  }

  private boolean acquired() {
    try {
      pacer.acquire();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Lookups share the account's request rate with sends. */
  @Override
  public LookupResult findSent(SentMessageQuery query) {
    try {
      pacer.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LookupResult.Failed(
          new SendResult.TransientFailure(null, null, "interrupted before looking up"));
    }
    return delegate.findSent(query);
  }
}
