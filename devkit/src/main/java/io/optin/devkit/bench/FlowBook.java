package io.optin.devkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every flow of a run, found by phone (SMS and confirmations name it) or by signup id (ledger
 * records name only that); what the topics and the provider said of a flow before the driver knew
 * its signup id is kept until it does. Counts what belongs to no flow of the run, and when anything
 * last moved, to tell a stalled pipeline from a busy one.
 */
final class FlowBook {

  private final Map<String, Flow> byPhone = new ConcurrentHashMap<>();
  private final Map<String, Flow> bySignupId = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> ledgerBeforeSignupId = new ConcurrentHashMap<>();
  private final List<Flow> flows = new ArrayList<>();
  private final AtomicInteger foreignSms = new AtomicInteger();
  private final AtomicInteger otherSms = new AtomicInteger();
  private final AtomicInteger foreignConfirmations = new AtomicInteger();
  private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());

  /** Registers a flow before it starts, so anything about its phone finds it. */
  synchronized Flow add(int index, String phone, long intendedNanos) {
    Flow flow = new Flow(index, phone, intendedNanos);
    if (byPhone.putIfAbsent(phone, flow) != null) {
      throw new IllegalStateException("two flows on one phone: " + phone);
    }
    flows.add(flow);
    return flow;
  }

  void accepted(Flow flow, int status, String signupId, long nanos) {
    flow.accepted(status, signupId, nanos);
    if (signupId != null) {
      knowSignupId(signupId, flow);
    }
    progress();
  }

  /**
   * An SMS reached the provider; the flow, when this is its first code SMS (the one the phone
   * answers), else null.
   */
  Flow smsAtProvider(String phone, boolean carriesCode, long nanos) {
    Flow flow = byPhone.get(phone);
    if (flow == null) {
      foreignSms.incrementAndGet();
      return null;
    }
    progress();
    if (!carriesCode) {
      otherSms.incrementAndGet();
      return null;
    }
    return flow.codeSmsAt(nanos) ? flow : null;
  }

  void confirmed(String phone, String signupId, long nanos) {
    Flow flow = byPhone.get(phone);
    if (flow == null) {
      foreignConfirmations.incrementAndGet();
      return;
    }
    flow.confirmed(nanos);
    if (signupId != null) {
      knowSignupId(signupId, flow);
    }
    progress();
  }

  void ledgerConfirmed(String signupId, long nanos) {
    Flow flow;
    synchronized (ledgerBeforeSignupId) {
      flow = bySignupId.get(signupId);
      if (flow == null) {
        ledgerBeforeSignupId.computeIfAbsent(signupId, id -> new ArrayList<>()).add(nanos);
        return;
      }
    }
    flow.ledgerRecorded(nanos);
    progress();
  }

  private void knowSignupId(String signupId, Flow flow) {
    List<Long> early;
    synchronized (ledgerBeforeSignupId) {
      if (bySignupId.putIfAbsent(signupId, flow) != null) {
        return;
      }
      early = ledgerBeforeSignupId.remove(signupId);
    }
    if (early != null) {
      early.forEach(flow::ledgerRecorded);
    }
  }

  void progress() {
    lastProgressNanos.set(System.nanoTime());
  }

  long lastProgressNanos() {
    return lastProgressNanos.get();
  }

  synchronized List<Flow> flows() {
    return List.copyOf(flows);
  }

  /** Flows complete so far. */
  int complete() {
    int complete = 0;
    for (Flow flow : flows()) {
      complete += flow.complete() ? 1 : 0;
    }
    return complete;
  }

  /** SMS to phones of no flow of this run (another client of a running optin). */
  int foreignSms() {
    return foreignSms.get();
  }

  /** SMS to a flow's phone without a code (e.g. "you're subscribed"). */
  int otherSms() {
    return otherSms.get();
  }

  int foreignConfirmations() {
    return foreignConfirmations.get();
  }

  /** Ledger CONFIRMED records of signups the run never learned of. */
  int unmatchedLedgerRecords() {
    synchronized (ledgerBeforeSignupId) {
      return ledgerBeforeSignupId.values().stream().mapToInt(List::size).sum();
    }
  }
}
