package io.optin.audit.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.FormEvidence;
import io.optin.avro.PersonalData;
import java.time.Instant;
import java.util.TreeMap;

/**
 * The JSON form of a {@link ConsentExport}, served by {@code GET /v1/consent/{phone}} and written
 * by the tool.
 */
public final class ConsentExportJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConsentExportJson() {}

  public static ObjectNode toJson(ConsentExport export) {
    ObjectNode root = JSON.createObjectNode();
    root.put("phone", export.phone());
    root.put("subjectKey", export.subjectKey());
    root.put("exportedAt", export.exportedAt().toString());
    if (export.erasure() != null) {
      ObjectNode erased = root.putObject("erased");
      erased.put("at", export.erasure().at().toString());
      erased.put("eventId", export.erasure().eventId());
      erased.put("detail", export.erasure().detail());
    } else {
      root.putNull("erased");
    }
    ObjectNode integrity = root.putObject("integrity");
    integrity.put("intact", export.integrity().intact());
    integrity.put("records", export.integrity().records());
    put(integrity, "headHash", export.integrity().headHash());
    put(integrity, "problem", export.integrity().problem());
    integrity.put(
        "scope",
        "this subject's chain; `optin audit verify` checks the whole ledger and its signed"
            + " checkpoints");
    ArrayNode outcomes = root.putArray("outcomes");
    for (ProvenStatus status : export.outcomes()) {
      ObjectNode outcome = outcomes.addObject();
      outcome.put("programId", status.programId());
      outcome.put("status", status.status().name());
      put(outcome, "since", status.since());
      put(outcome, "eventId", status.eventId());
      put(outcome, "method", status.method());
    }
    ArrayNode steps = root.putArray("steps");
    export.steps().forEach(step -> steps.add(step(step)));
    return root;
  }

  public static String toPrettyString(ConsentExport export) {
    return toJson(export).toPrettyString();
  }

  private static ObjectNode step(ConsentExport.Step step) {
    ConsentAuditRecord r = step.record();
    ObjectNode node = JSON.createObjectNode();
    node.put("sequence", r.getSequence());
    node.put("eventId", r.getEventId());
    node.put("type", r.getEventType().name());
    node.put("occurredAt", r.getOccurredAt().toString());
    put(node, "programId", r.getProgramId());
    put(node, "signupId", r.getSignupId());
    put(node, "challengeId", r.getChallengeId());
    ConsentEvidence evidence = r.getEvidence();
    if (evidence != null) {
      ObjectNode consent = node.putObject("consent");
      consent.put("text", evidence.getConsentText());
      put(consent, "version", evidence.getConsentTextVersion());
      consent.put("sha256", evidence.getConsentTextSha256());
      consent.put("channel", evidence.getChannel().name());
      consent.put("locale", evidence.getLocale());
    }
    node.put("personalData", step.personalState().name().toLowerCase(java.util.Locale.ROOT));
    PersonalData personal = step.personal();
    if (personal != null) {
      put(node, "phone", personal.getPhone());
      put(node, "sourceUrl", personal.getPageUrl());
      put(node, "ip", personal.getIp());
      put(node, "userAgent", personal.getUserAgent());
      put(node, "messageText", personal.getMessageText());
      FormEvidence form = personal.getFormEvidence();
      if (form != null) {
        ObjectNode formNode = node.putObject("evidence");
        put(formNode, "trustedFormCertUrl", form.getTrustedFormCertUrl());
        put(formNode, "jornayaLeadId", form.getJornayaLeadId());
        put(formNode, "formSnapshotSha256", form.getFormSnapshotSha256());
        if (form.getExtra() != null) {
          ObjectNode extra = formNode.putObject("extra");
          new TreeMap<>(form.getExtra()).forEach(extra::put);
        }
      }
    }
    if (r.getProviderSid() != null || r.getProviderStatus() != null || r.getErrorCode() != null) {
      ObjectNode provider = node.putObject("provider");
      put(provider, "sid", r.getProviderSid());
      put(provider, "status", r.getProviderStatus());
      if (r.getErrorCode() != null) {
        provider.put("errorCode", r.getErrorCode());
      }
    }
    put(node, "method", r.getMethod());
    put(node, "detail", r.getDetail());
    ObjectNode source = node.putObject("source");
    put(source, "topic", r.getSourceTopic());
    if (r.getSourcePartition() != null) {
      source.put("partition", r.getSourcePartition());
    }
    if (r.getSourceOffset() != null) {
      source.put("offset", r.getSourceOffset());
    }
    put(node, "previousHash", r.getPreviousHash());
    node.put("hash", r.getHash());
    return node;
  }

  private static void put(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void put(ObjectNode node, String field, Instant value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }
}
