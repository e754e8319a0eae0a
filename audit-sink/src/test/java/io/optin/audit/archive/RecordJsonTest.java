package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.optin.avro.ConsentAuditRecord;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  private final ArchivedRecord archived = TestLedger.of(1, 1).records.get(0);
  private final ConsentAuditRecord record = archived.record();

  @Test
  void shouldRenderEveryFieldReadably() {
    JsonNode json = RecordJson.of(record);

    assertThat(json.get("eventType").textValue()).isEqualTo("REQUESTED");
    assertThat(json.get("occurredAt").textValue()).isEqualTo("2026-01-05T09:00:00Z");
    assertThat(json.get("signupId").isNull()).isTrue();
    assertThat(json.get("sequence").longValue()).isZero();
    assertThat(Base64.getDecoder().decode(json.get("sealedPersonalData").textValue()))
        .isEqualTo(record.getSealedPersonalData().array());
    assertThat(json.size()).isEqualTo(ConsentAuditRecord.getClassSchema().getFields().size());
  }

  @Test
  void shouldMatchTheSameContentWhateverTheKeyOrderAndSpacing() throws Exception {
    // Given the JSON as PostgreSQL's jsonb gives it back: keys reordered, spaces added
    String rewritten =
        RecordJson.MAPPER
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(RecordJson.MAPPER.readTree(RecordJson.text(record)));

    assertThat(RecordJson.matches(record, RecordJson.MAPPER.readTree(rewritten))).isTrue();
    assertThat(
            RecordJson.matches(
                record,
                RecordJson.MAPPER.readTree(
                    RecordJson.text(record).replace("\"acme-deals\"", "\"acme-dealz\""))))
        .isFalse();
  }

  @Test
  void shouldDecodeTheRecordFromItsExactValueBytes() {
    assertThat(LedgerValues.decode(archived.value(), archived.writerSchema())).isEqualTo(record);
    assertThat(LedgerValues.schemaId(archived.value())).isEqualTo(archived.schemaId());
  }
}
