package io.optin.audit.archive;

import io.optin.avro.ConsentAuditRecord;
import io.optin.schemas.serde.AvroTrust;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes a ledger value (Confluent wire format: magic byte 0, 4-byte schema id, Avro binary) with
 * its writer's schema, so an archive can be read without a Schema Registry once it keeps the writer
 * schemas itself.
 */
public final class LedgerValues {

  private static final int HEADER_LENGTH = 5;

  static {
    AvroTrust.install();
  }

  private LedgerValues() {}

  /**
   * The schema id in the header; throws {@link IllegalArgumentException} when the frame is not
   * Confluent's.
   */
  public static int schemaId(byte[] value) {
    if (value.length < HEADER_LENGTH || value[0] != 0) {
      throw new IllegalArgumentException(
          "not a Confluent wire format value (magic byte 0 and a 4-byte schema id): "
              + value.length
              + " byte(s)"
              + (value.length > 0 ? String.format(", first 0x%02x", value[0]) : ""));
    }
    return ((value[1] & 0xff) << 24)
        | ((value[2] & 0xff) << 16)
        | ((value[3] & 0xff) << 8)
        | (value[4] & 0xff);
  }

  /**
   * The record in {@code value}, resolved from {@code writerSchema} to the current {@link
   * ConsentAuditRecord}.
   *
   * @throws IllegalArgumentException when the bytes do not decode, or leave bytes unread (a value
   *     with bytes appended is not the value that was written)
   */
  public static ConsentAuditRecord decode(byte[] value, Schema writerSchema) {
    schemaId(value);
    SpecificDatumReader<ConsentAuditRecord> reader =
        new SpecificDatumReader<>(
            writerSchema,
            ConsentAuditRecord.getClassSchema(),
            SpecificData.getForClass(ConsentAuditRecord.class));
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(value, HEADER_LENGTH, value.length - HEADER_LENGTH, null);
    try {
      ConsentAuditRecord record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IllegalArgumentException("value has bytes after the record it encodes");
      }
      return record;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException(
          "value does not decode as a " + writerSchema.getFullName() + ": " + e.getMessage(), e);
    }
  }
}
