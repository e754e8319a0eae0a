package io.optin.server.keys;

import io.optin.audit.AuditSettings;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Setting;
import io.optin.kit.config.SharedSettings;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fresh values for every secret optin can make itself, in the formats its settings parse: the code
 * secret, the ledger's subject secret, master key (AES-256) and checkpoint signing key (Ed25519),
 * and one API token. Secrets issued by others (Twilio's, the registry's, a database password) are
 * not among them.
 */
public final class GeneratedSecrets {

  /** The settings generated, in the order they are written. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          SharedSettings.OTP_SECRET,
          AuditSettings.AUDIT_SUBJECT_SECRET,
          AuditSettings.AUDIT_MASTER_KEY,
          AuditSettings.AUDIT_SIGNING_KEY,
          ProcessSettings.API_TOKENS);

  /** 384 bits for the HMAC secrets: above the 256 of the hash, as `openssl rand -base64 48`. */
  private static final int SECRET_BYTES = 48;

  /** 256 bits for a bearer token. */
  private static final int TOKEN_BYTES = 32;

  private final Map<Setting<?>, String> values;
  private final String signingPublicKey;

  private GeneratedSecrets(Map<Setting<?>, String> values, String signingPublicKey) {
    this.values = values;
    this.signingPublicKey = signingPublicKey;
  }

  /** A new set, from the platform's strong random source. */
  public static GeneratedSecrets generate() {
    SecureRandom random = new SecureRandom();
    CheckpointSigningKey signing = CheckpointSigningKey.generate();
    Map<Setting<?>, String> values = new LinkedHashMap<>();
    values.put(SharedSettings.OTP_SECRET, randomText(random, SECRET_BYTES));
    values.put(AuditSettings.AUDIT_SUBJECT_SECRET, randomText(random, SECRET_BYTES));
    values.put(AuditSettings.AUDIT_MASTER_KEY, MasterKey.generate().toBase64());
    values.put(AuditSettings.AUDIT_SIGNING_KEY, signing.toBase64());
    values.put(ProcessSettings.API_TOKENS, randomText(random, TOKEN_BYTES));
    return new GeneratedSecrets(values, signing.publicKey().toBase64());
  }

  /** Environment variable ({@code OPTIN_OTP_SECRET}) to value, in {@link #SETTINGS} order. */
  public Map<String, String> byVariable() {
    Map<String, String> variables = new LinkedHashMap<>();
    values.forEach((setting, value) -> variables.put(setting.environmentVariable(), value));
    return variables;
  }

  /**
   * The public key of the signing key ({@code audit.signing.public.key}): not a secret, what
   * auditors verify checkpoints with.
   */
  public String signingPublicKey() {
    return signingPublicKey;
  }

  /** URL-safe base64 without padding: no character an env file or a token list treats apart. */
  private static String randomText(SecureRandom random, int bytes) {
    byte[] secret = new byte[bytes];
    random.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  @Override
  public String toString() {
    return "GeneratedSecrets" + byVariable().keySet() + " (values redacted)";
  }
}
