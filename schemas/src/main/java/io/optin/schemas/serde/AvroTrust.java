package io.optin.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate optin's generated classes (package {@value #TRUSTED_PACKAGE}), records and
 * enums alike, and no other class beyond Avro's defaults.
 *
 * <p>Why: since 1.11.4/1.12.0 (CVE-2024-47561) Avro refuses to load any class a schema names unless
 * it is trusted, because a schema coming from outside (here: a Schema Registry anyone with write
 * access can fill) could otherwise make the reader instantiate arbitrary classes. Avro 1.12.2
 * therefore rejects our own {@code io.optin.avro} records and enums with "Forbidden ... This class
 * is not trusted". Trusting exactly our generated package keeps that protection for everything
 * else.
 *
 * <p>Why in code and not with {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}: Avro reads that
 * property once, when the validator class initialises, so setting it from code is silently ignored
 * if anything touched Avro first, and asking every test run, the optin jar and every user's
 * application to pass a JVM flag is fragile. The predicate installed here is composed with the
 * previous global one, so that property still adds packages.
 *
 * <p>{@link AvroDeserializer} installs it when loaded; code that decodes optin records by other
 * means (for example {@code ConsentAuditRecord.fromByteBuffer}) calls {@link #install()} first.
 */
public final class AvroTrust {

  /** The package of the classes generated from {@code schemas/src/main/avro}. */
  public static final String TRUSTED_PACKAGE = "io.optin.avro";

  private static final ClassSecurityValidator.ClassSecurityPredicate OPTIN_GENERATED_CLASSES =
      type -> type.getName().startsWith(TRUSTED_PACKAGE + ".");

  private static boolean installed;

  private AvroTrust() {}

  /**
   * Adds {@value #TRUSTED_PACKAGE} to Avro's global trusted classes; calling it again changes
   * nothing.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(), OPTIN_GENERATED_CLASSES));
    installed = true;
  }
}
