package io.optin.audit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.PersonalData;
import io.optin.avro.SubjectDataKey;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data keys seal and open personal data only where it belongs; keys survive their text forms. */
class LedgerCryptoTest {

  private static final Instant AT = Instant.parse("2026-01-05T09:00:00Z");
  private static final PersonalData PERSONAL =
      PersonalData.newBuilder().setPhone("+14155550100").setIp("203.0.113.7").build();

  @Test
  void shouldOpenSealedDataWithTheUnwrappedKeyOfTheSameRecordOnly() {
    // Given a subject's data key, wrapped for the key topic, and data sealed for event e1
    MasterKey master = MasterKey.generate();
    DataKey key = DataKey.generate("subject-1");
    SubjectDataKey wrapped = master.wrap(key, AT);
    ByteBuffer sealed = key.seal(PERSONAL, "e1");

    // Then the unwrapped key opens it for e1, but not once moved to another event
    DataKey unwrapped = master.unwrap(wrapped);
    assertThat(unwrapped.open(sealed, "e1")).isEqualTo(PERSONAL);
    assertThat(wrapped.getMasterKeyId()).isEqualTo(master.keyId());
    assertThatThrownBy(() -> unwrapped.open(sealed, "e2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("altered or moved");
  }

  @Test
  void shouldRefuseSealedDataWithOneByteChanged() {
    DataKey key = DataKey.generate("subject-1");
    byte[] sealed = key.seal(PERSONAL, "e1").array();
    sealed[sealed.length - 3] ^= 0x10;

    assertThatThrownBy(() -> key.open(ByteBuffer.wrap(sealed), "e1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldNameTheMasterKeyThatWrappedADataKeyWhenAnotherOneIsGiven() {
    SubjectDataKey wrapped = MasterKey.generate().wrap(DataKey.generate("subject-1"), AT);
    MasterKey other = MasterKey.generate();

    assertThatThrownBy(() -> other.unwrap(wrapped))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(wrapped.getMasterKeyId())
        .hasMessageContaining(other.keyId());
  }

  @Test
  void shouldRefuseAMasterKeyOfTheWrongLengthNamingTheSetting() {
    assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ="))
        .hasMessageStartingWith("audit.master.key must be 32");
    assertThatThrownBy(() -> MasterKey.fromBase64(""))
        .hasMessageStartingWith("audit.master.key is required");
  }

  @Test
  void shouldDeriveTheSamePublicKeyFromTheStoredSigningKey() {
    CheckpointSigningKey key = CheckpointSigningKey.generate();

    CheckpointSigningKey reloaded = CheckpointSigningKey.fromBase64(key.toBase64());

    assertThat(reloaded.publicKey().toBase64()).isEqualTo(key.publicKey().toBase64());
    assertThat(CheckpointPublicKey.fromBase64(key.publicKey().toBase64()).keyId())
        .isEqualTo(key.publicKey().keyId());
    assertThat(reloaded.toString()).doesNotContain(key.toBase64());
  }

  @Test
  void shouldKeepTheDevKeysAcrossRestartsReadableByTheOwnerOnly(@TempDir Path dir)
      throws Exception {
    LedgerKeys first = LedgerKeys.loadOrCreate(dir);
    LedgerKeys again = LedgerKeys.loadOrCreate(dir);

    assertThat(again.master().keyId()).isEqualTo(first.master().keyId());
    assertThat(again.publicKey().keyId()).isEqualTo(first.publicKey().keyId());
    assertThat(Files.readString(dir.resolve("audit-signing.pub")).strip())
        .isEqualTo(first.publicKey().toBase64());
    assertThat(Files.getPosixFilePermissions(dir.resolve("audit-master.key")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
