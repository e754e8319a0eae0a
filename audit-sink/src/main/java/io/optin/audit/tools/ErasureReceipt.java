package io.optin.audit.tools;

/**
 * An erasure request as accepted by Kafka: where it sits, and the eventId its ERASED ledger record
 * will carry.
 */
public record ErasureReceipt(
    String requestId, String subjectKey, int partition, long offset, String erasedEventId) {}
