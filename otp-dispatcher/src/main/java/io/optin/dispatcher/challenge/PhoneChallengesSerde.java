package io.optin.dispatcher.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.avro.SourceChannel;
import io.optin.domain.status.SubscriptionStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores {@link PhoneStanding} as small JSON documents (times in epoch milliseconds, version field
 * {@code v}) in the {@code dispatcher-phones} store and its changelog. Internal to the dispatcher,
 * so JSON is enough: no registry subject, and unknown fields are ignored so a newer writer never
 * breaks a restore.
 */
public final class PhoneChallengesSerde implements Serde<PhoneStanding> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  @Override
  public Serializer<PhoneStanding> serializer() {
    return (topic, state) -> state == null ? null : write(state);
  }

  @Override
  public Deserializer<PhoneStanding> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  static byte[] write(PhoneStanding state) {
    ObjectNode root = JSON.createObjectNode().put("v", VERSION).put("optedOut", state.optedOut());
    putTime(root, "lastStopAt", state.lastStopAt());
    putTime(root, "lastStartAt", state.lastStartAt());
    ObjectNode programs = root.putObject("programs");
    state.programs().forEach((programId, entry) -> programs.set(programId, writeEntry(entry)));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new SerializationException("cannot encode the state of a phone", e);
    }
  }

  static PhoneStanding read(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      Map<String, ProgramChallenge> programs = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("programs").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        programs.put(field.getKey(), readEntry(field.getValue()));
      }
      return new PhoneStanding(
          root.path("optedOut").asBoolean(false),
          time(root, "lastStopAt"),
          time(root, "lastStartAt"),
          programs);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode the state of a phone", e);
    }
  }

  private static ObjectNode writeEntry(ProgramChallenge entry) {
    ObjectNode node = JSON.createObjectNode().put("status", entry.status().name());
    putText(node, "challengeId", entry.challengeId());
    putText(node, "signupId", entry.signupId());
    putTime(node, "issuedAt", entry.issuedAt());
    putTime(node, "expiresAt", entry.expiresAt());
    putTime(node, "lastSentAt", entry.lastSentAt());
    node.put("resendCount", entry.resendCount());
    putText(node, "locale", entry.locale());
    node.put("channel", entry.channel().name());
    putText(node, "consentTextSha256", entry.consentTextSha256());
    putTime(node, "requestedAt", entry.requestedAt());
    return node;
  }

  private static ProgramChallenge readEntry(JsonNode node) {
    return new ProgramChallenge(
        SubscriptionStatus.valueOf(node.path("status").asText()),
        text(node, "challengeId"),
        text(node, "signupId"),
        time(node, "issuedAt"),
        time(node, "expiresAt"),
        time(node, "lastSentAt"),
        node.path("resendCount").asInt(0),
        text(node, "locale"),
        channel(text(node, "channel")),
        text(node, "consentTextSha256"),
        time(node, "requestedAt"));
  }

  private static SourceChannel channel(String name) {
    try {
      return name == null ? SourceChannel.UNKNOWN : SourceChannel.valueOf(name);
    } catch (IllegalArgumentException e) {
      return SourceChannel.UNKNOWN;
    }
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putTime(ObjectNode node, String field, Instant value) {
    if (value != null) {
      node.put(field, value.toEpochMilli());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant time(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : Instant.ofEpochMilli(value.asLong());
  }
}
