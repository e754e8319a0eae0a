package io.optin.dispatcher.sms;

/** The final result of sending one SMS and how many attempts it took. */
public record SendOutcome(SendResult result, int attempts) {}
