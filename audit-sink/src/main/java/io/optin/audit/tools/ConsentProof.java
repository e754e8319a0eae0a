package io.optin.audit.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.audit.archive.RecordJson;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.FormEvidence;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.PersonalData;
import io.optin.domain.otp.PhoneMask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The machine-readable proof of consent of one subscriber (and program): the facts a consent
 * certificate and the readable export show, as one JSON document (format {@value #FORMAT},
 * docs/ledger.md "Consent certificate"). Each step carries its ledger record field by field, so a
 * verifier recomputes every hash from the document alone. Its {@link #canonical} text is what a
 * certificate signs.
 */
public final class ConsentProof {

  public static final String FORMAT = "optin-consent-certificate/1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConsentProof() {}

  /**
   * How the proof is scoped and what was checked.
   *
   * @param programId the one program to show, or null for every program of the subscriber
   * @param maskPhone show the phone masked ({@code +1415*****00})
   * @param brands programId -> brand ({@code programs.brands})
   * @param ledger what the whole-ledger verification said, or null when only the subject's chain
   *     was checked (the export)
   */
  public record Scope(
      String programId, boolean maskPhone, Map<String, String> brands, LedgerCheck ledger) {

    /** The export's scope: every program, phone in full, the subject's chain only. */
    public static Scope export() {
      return new Scope(null, false, Map.of(), null);
    }
  }

  /**
   * The whole-ledger verification a certificate states.
   *
   * @param verified whether {@code optin audit verify}'s checks passed
   * @param verdict its one-line verdict
   * @param keyId the checkpoint key's id (fingerprint)
   * @param checkpoint the latest signed checkpoint of the subject's ledger partition, or null
   */
  public record LedgerCheck(
      boolean verified, String verdict, String keyId, LedgerCheckpoint checkpoint) {}

  /** The proof of {@code export} within {@code scope}, issued at {@code issuedAt}. */
  public static ObjectNode of(ConsentExport export, Scope scope, Instant issuedAt) {
    List<ConsentExport.Step> steps = new ArrayList<>();
    for (ConsentExport.Step step : export.steps()) {
      String program = step.record().getProgramId();
      if (scope.programId() == null || program == null || scope.programId().equals(program)) {
        steps.add(step);
      }
    }
    ObjectNode root = NODES.objectNode();
    root.put("format", FORMAT);
    root.put("issuedAt", issuedAt.toString());
    ObjectNode subject = root.putObject("subject");
    subject.put("phone", scope.maskPhone() ? PhoneMask.mask(export.phone()) : export.phone());
    subject.put("phoneMasked", scope.maskPhone());
    subject.put("subjectKey", export.subjectKey());
    if (scope.programId() == null) {
      root.putNull("programId");
    } else {
      root.put("programId", scope.programId());
    }
    ArrayNode outcomes = root.putArray("outcomes");
    for (ProvenStatus status : export.outcomes()) {
      if (scope.programId() == null || scope.programId().equals(status.programId())) {
        ObjectNode outcome = outcomes.addObject();
        outcome.put("programId", status.programId());
        text(outcome, "brand", scope.brands().get(status.programId()));
        outcome.put("status", status.status().name());
        text(outcome, "since", status.since());
        text(outcome, "method", status.method());
        text(outcome, "eventId", status.eventId());
      }
    }
    ConsentExport.Step signup = signupOf(steps, export.outcomes(), scope.programId());
    root.set("consent", signup == null ? NODES.nullNode() : consent(signup));
    root.set("evidence", signup == null ? NODES.nullNode() : evidence(signup));
    if (export.erasure() == null) {
      root.putNull("erasure");
    } else {
      ObjectNode erasure = root.putObject("erasure");
      erasure.put("at", export.erasure().at().toString());
      erasure.put("eventId", export.erasure().eventId());
      text(erasure, "detail", export.erasure().detail());
    }
    ArrayNode timeline = root.putArray("steps");
    steps.forEach(step -> timeline.add(step(step)));
    root.set("ledger", ledger(export, steps, scope.ledger()));
    return root;
  }

  /**
   * The one text of a proof that is signed and embedded: compact JSON, object keys sorted, {@code
   * <}, {@code >} and {@code &} as {@code \\u} escapes so that it cannot end the HTML block it sits
   * in.
   */
  public static String canonical(JsonNode proof) {
    try {
      return JSON.writeValueAsString(sorted(proof))
          .replace("<", "\\u003c")
          .replace(">", "\\u003e")
          .replace("&", "\\u0026");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a proof as JSON", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        fields.put(field.getKey(), sorted(field.getValue()));
      }
      ObjectNode out = NODES.objectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }

  /**
   * The signup behind the outcome (the REQUESTED step of the confirmed signup), else the latest
   * REQUESTED step in scope.
   */
  private static ConsentExport.Step signupOf(
      List<ConsentExport.Step> steps, List<ProvenStatus> outcomes, String programId) {
    String signupId = null;
    for (ProvenStatus status : outcomes) {
      if (programId == null || programId.equals(status.programId())) {
        for (ConsentExport.Step step : steps) {
          if (Objects.equals(step.record().getEventId(), status.eventId())) {
            signupId = step.record().getSignupId();
          }
        }
      }
    }
    ConsentExport.Step latest = null;
    for (ConsentExport.Step step : steps) {
      if (step.record().getEventType() == ConsentEventType.REQUESTED) {
        if (signupId != null && signupId.equals(step.record().getSignupId())) {
          return step;
        }
        latest = step;
      }
    }
    return latest;
  }

  private static ObjectNode consent(ConsentExport.Step signup) {
    ConsentAuditRecord r = signup.record();
    ConsentEvidence e = r.getEvidence();
    ObjectNode consent = NODES.objectNode();
    consent.put("requestedAt", r.getOccurredAt().toString());
    text(consent, "programId", r.getProgramId());
    text(consent, "signupId", r.getSignupId());
    if (e != null) {
      consent.put("text", e.getConsentText());
      text(consent, "version", e.getConsentTextVersion());
      consent.put("sha256", e.getConsentTextSha256());
      consent.put("channel", e.getChannel().name());
      consent.put("locale", e.getLocale());
    }
    PersonalData p = signup.personal();
    consent.put("personalData", signup.personalState().name().toLowerCase(Locale.ROOT));
    if (p != null) {
      text(consent, "pageUrl", p.getPageUrl());
      text(consent, "ip", p.getIp());
      text(consent, "userAgent", p.getUserAgent());
    }
    return consent;
  }

  /** The signup's evidence; {@code {"erased":true}} when it can no longer be read. */
  private static JsonNode evidence(ConsentExport.Step signup) {
    if (signup.personalState() == ConsentExport.PersonalState.ERASED) {
      return NODES.objectNode().put("erased", true);
    }
    PersonalData personal = signup.personal();
    FormEvidence f = personal == null ? null : personal.getFormEvidence();
    if (f == null) {
      return NODES.nullNode();
    }
    ObjectNode evidence = NODES.objectNode();
    text(evidence, "trustedFormCertUrl", f.getTrustedFormCertUrl());
    text(evidence, "jornayaLeadId", f.getJornayaLeadId());
    text(evidence, "formSnapshotSha256", f.getFormSnapshotSha256());
    if (f.getExtra() != null && !f.getExtra().isEmpty()) {
      ObjectNode extra = evidence.putObject("extra");
      new TreeMap<>(f.getExtra()).forEach(extra::put);
    }
    return evidence;
  }

  private static ObjectNode step(ConsentExport.Step step) {
    ConsentAuditRecord r = step.record();
    ObjectNode node = NODES.objectNode();
    node.put("sequence", r.getSequence());
    node.put("type", r.getEventType().name());
    node.put("occurredAt", r.getOccurredAt().toString());
    text(node, "programId", r.getProgramId());
    node.put("channel", channelOf(step));
    text(node, "method", r.getMethod());
    text(node, "status", r.getProviderStatus());
    if (r.getErrorCode() != null) {
      node.put("errorCode", r.getErrorCode());
    }
    text(node, "detail", r.getDetail());
    node.put("personalData", step.personalState().name().toLowerCase(Locale.ROOT));
    if (step.personal() != null) {
      text(node, "message", step.personal().getMessageText());
    }
    node.put("hash", r.getHash());
    text(node, "previousHash", r.getPreviousHash());
    node.set("record", RecordJson.of(r));
    return node;
  }

  /**
   * The channel of a step: the record's own {@code channel} field where the ledger has one, else
   * what the step implies (the signup's source channel; SMS for messages and replies; the method's
   * channel for a confirmation).
   */
  static String channelOf(ConsentExport.Step step) {
    ConsentAuditRecord r = step.record();
    Schema.Field own = r.getSchema().getField("channel");
    if (own != null && r.get(own.pos()) != null) {
      return r.get(own.pos()).toString();
    }
    return switch (r.getEventType()) {
      case REQUESTED -> r.getEvidence() == null ? "-" : r.getEvidence().getChannel().name();
      case SENT, DELIVERED, FAILED, REPLY_RECEIVED, OPTED_OUT, OPTED_IN -> "SMS";
      case CODE_ATTEMPTED -> "WEB";
      case CONFIRMED -> confirmationChannel(r.getMethod(), r.getDetail());
      default -> "-";
    };
  }

  private static String confirmationChannel(String method, String detail) {
    String said = (method == null ? "" : method) + " " + (detail == null ? "" : detail);
    if (said.contains("VOICE")) {
      return "VOICE";
    }
    if (said.contains("WHATSAPP")) {
      return "WHATSAPP";
    }
    if (said.contains("CODE_ENTRY")) {
      return "WEB";
    }
    return "SMS";
  }

  /**
   * The subject's whole chain: every record's position and hashes; the records of other programs
   * are named by their hashes only (not their content), so the links still verify.
   */
  private static ObjectNode ledger(
      ConsentExport export, List<ConsentExport.Step> inScope, LedgerCheck check) {
    ObjectNode ledger = NODES.objectNode();
    ArrayNode links = ledger.putArray("chain");
    for (ConsentExport.Step step : export.steps()) {
      ConsentAuditRecord r = step.record();
      ObjectNode link = links.addObject();
      link.put("sequence", r.getSequence());
      link.put("inScope", inScope.contains(step));
      link.put("hash", r.getHash());
      text(link, "previousHash", r.getPreviousHash());
      if (r.getSourcePartition() != null) {
        link.put("partition", r.getSourcePartition());
      }
      if (r.getPartitionSequence() != null) {
        link.put("partitionSequence", r.getPartitionSequence());
      }
    }
    SubjectIntegrity integrity = export.integrity();
    ObjectNode chain = ledger.putObject("subjectChain");
    chain.put("intact", integrity.intact());
    chain.put("records", integrity.records());
    text(chain, "headHash", integrity.headHash());
    text(chain, "problem", integrity.problem());
    if (check == null) {
      ledger.putNull("verified");
      ledger.putNull("checkpoint");
      return ledger;
    }
    ledger.put("verified", check.verified());
    ledger.put("verdict", check.verdict());
    ledger.put("keyId", check.keyId());
    ledger.set(
        "checkpoint",
        check.checkpoint() == null ? NODES.nullNode() : RecordJson.of(check.checkpoint()));
    return ledger;
  }

  private static void text(ObjectNode node, String field, Object value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }
}
