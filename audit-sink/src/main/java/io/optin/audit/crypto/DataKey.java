package io.optin.audit.crypto;

import io.optin.avro.PersonalData;
import io.optin.schemas.serde.AvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * One subject's random AES-256 key: it seals the personal data of every ledger record of the
 * subject (Avro binary of {@link PersonalData}, associated data {@code subjectKey|eventId}, so a
 * sealed blob cannot be moved to another record). Destroying it is the subject's erasure.
 */
public final class DataKey {

  static {
    AvroTrust.install();
  }

  private static final SpecificDatumWriter<PersonalData> WRITER =
      new SpecificDatumWriter<>(PersonalData.class);

  private final String subjectKey;
  private final String keyId;
  private final byte[] secret;

  DataKey(String subjectKey, String keyId, byte[] secret) {
    this.subjectKey = Objects.requireNonNull(subjectKey, "subjectKey");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    if (secret.length != AesGcm.KEY_BYTES) {
      throw new IllegalArgumentException("a data key is " + AesGcm.KEY_BYTES + " bytes");
    }
    this.secret = secret.clone();
  }

  /** A new random key for a subject, with a random id. */
  public static DataKey generate(String subjectKey) {
    return new DataKey(
        subjectKey,
        HexFormat.of().formatHex(AesGcm.randomBytes(8)),
        AesGcm.randomBytes(AesGcm.KEY_BYTES));
  }

  public String subjectKey() {
    return subjectKey;
  }

  public String keyId() {
    return keyId;
  }

  byte[] secret() {
    return secret.clone();
  }

  /** The sealed form of the record's personal data. */
  public ByteBuffer seal(PersonalData personal, String eventId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      WRITER.write(personal, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(AesGcm.seal(secret, associatedData(eventId), out.toByteArray()));
  }

  /**
   * The personal data, or an exception when this is not the key or the blob was altered or moved.
   */
  public PersonalData open(ByteBuffer sealed, String eventId) {
    ByteBuffer copy = sealed.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    try {
      byte[] plain = AesGcm.open(secret, associatedData(eventId), bytes);
      return new SpecificDatumReader<>(PersonalData.class)
          .read(null, DecoderFactory.get().binaryDecoder(plain, null));
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          "the personal data of event "
              + eventId
              + " does not open with data key "
              + keyId
              + ": wrong key, or the sealed bytes were altered or moved",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] associatedData(String eventId) {
    return ("optin-personal-data-v1|" + subjectKey + "|" + eventId)
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "DataKey[" + keyId + " of " + subjectKey + ", key redacted]";
  }
}
