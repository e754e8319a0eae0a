package io.optin.schemas.serde;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a Kafka record value: magic byte 0, the schema id as 4 bytes big-endian,
 * then the payload.
 */
public final class ConfluentWireFormat {

  static final byte MAGIC_BYTE = 0;
  public static final int HEADER_LENGTH = 5;

  private ConfluentWireFormat() {}

  static void writeHeader(ByteArrayOutputStream out, int schemaId) {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /** The schema id of a framed record, after checking the frame. */
  public static int schemaId(String topic, byte[] data) {
    if (data.length == 0 || data[0] != MAGIC_BYTE) {
      String found =
          data.length == 0 ? "an empty value" : String.format("magic byte 0x%02x", data[0] & 0xff);
      throw new SerializationException(
          "Unknown magic byte: a record of topic '"
              + topic
              + "' has "
              + found
              + " where the Confluent wire format needs magic byte 0x00 and a 4-byte schema id."
              + " Was it written by an Avro serializer using a Schema Registry?");
    }
    if (data.length < HEADER_LENGTH) {
      throw new SerializationException(
          "A record of topic '"
              + topic
              + "' has only "
              + data.length
              + " byte(s): too short for the Confluent wire format header (magic byte and 4-byte schema id)");
    }
    return ((data[1] & 0xff) << 24)
        | ((data[2] & 0xff) << 16)
        | ((data[3] & 0xff) << 8)
        | (data[4] & 0xff);
  }
}
