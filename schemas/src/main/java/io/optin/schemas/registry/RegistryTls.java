package io.optin.schemas.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * The TLS side of the registry connection: which servers to trust and which client certificate to
 * show (mutual TLS), read from key stores the JDK reads without extra libraries.
 *
 * <p>Store types: {@code PKCS12} (the default), {@code JKS}, and {@code PEM}: a trust store of
 * certificates, or a key store holding the certificate chain and an unencrypted PKCS#8 private key
 * ({@code -----BEGIN PRIVATE KEY-----}). Without a trust store the JDK's default trust anchors
 * apply. The stores are read once, when the settings are built, so that a wrong path or password
 * stops the start rather than the first request.
 */
public final class RegistryTls {

  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

  public static final String DEFAULT_TYPE = "PKCS12";
  private static final List<String> TYPES = List.of("PKCS12", "JKS", "PEM");
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

  /** One key or trust store file. */
  public record StoreFile(Path location, Optional<String> password, String type) {
    public StoreFile {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(password, "password");
      type = type.strip().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return type + ":" + location;
    }
  }

  private final Optional<StoreFile> trustStore;
  private final Optional<StoreFile> keyStore;
  private final SSLContext context;

  /**
   * @param keyPassword the private key's password when it differs from the key store's
   * @throws ConfigException naming the setting when a store cannot be read
   */
  public RegistryTls(
      Optional<StoreFile> trustStore, Optional<StoreFile> keyStore, Optional<String> keyPassword) {
    this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
    this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
    trustStore.ifPresent(store -> checkType(TRUSTSTORE_TYPE, store.type()));
    keyStore.ifPresent(store -> checkType(KEYSTORE_TYPE, store.type()));
    this.context = context(keyPassword);
  }

  public Optional<StoreFile> trustStore() {
    return trustStore;
  }

  public Optional<StoreFile> keyStore() {
    return keyStore;
  }

  /** Whether a client certificate is presented (mutual TLS). */
  public boolean mutual() {
    return keyStore.isPresent();
  }

  /** The context every registry connection is made with. */
  public SSLContext sslContext() {
    return context;
  }

  @Override
  public String toString() {
    return "RegistryTls[trustStore="
        + trustStore.map(StoreFile::toString).orElse("JDK default")
        + ", keyStore="
        + keyStore.map(StoreFile::toString).orElse("none")
        + "]";
  }

  private SSLContext context(Optional<String> keyPassword) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      // A null store is the JDK's default trust anchors (cacerts).
      trust.init(
          trustStore.isPresent() ? load(trustStore.get(), TRUSTSTORE_LOCATION, false) : null);
      KeyManagerFactory keys = null;
      if (keyStore.isPresent()) {
        StoreFile store = keyStore.get();
        char[] password =
            keyPassword.or(store::password).map(String::toCharArray).orElse(new char[0]);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(store, KEYSTORE_LOCATION, true), password);
      }
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          "Cannot use the Schema Registry key stores ("
              + KEYSTORE_LOCATION
              + ", "
              + KEY_PASSWORD
              + "): "
              + e.getMessage());
    }
  }

  private static KeyStore load(StoreFile store, String key, boolean withKey) {
    if (!Files.isReadable(store.location())) {
      throw new ConfigException(key + " names " + store.location() + ", which cannot be read");
    }
    try {
      if (store.type().equals("PEM")) {
        return withKey ? pemKeyStore(store, key) : pemTrustStore(store, key);
      }
      KeyStore keyStore = KeyStore.getInstance(store.type());
      try (InputStream in = Files.newInputStream(store.location())) {
        keyStore.load(in, store.password().map(String::toCharArray).orElse(null));
      }
      return keyStore;
    } catch (IOException | GeneralSecurityException e) {
      // The JDK reports a wrong password as an IOException whose cause is
      // UnrecoverableKeyException.
      throw new ConfigException(
          "Cannot read the "
              + store.type()
              + " store "
              + store.location()
              + " ("
              + key
              + "): "
              + e.getMessage()
              + " (check its password and type)");
    }
  }

  private static KeyStore pemTrustStore(StoreFile store, String key)
      throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certificates = certificates(store.location());
    if (certificates.isEmpty()) {
      throw new ConfigException(
          key + " names " + store.location() + ", which holds no certificate");
    }
    KeyStore keyStore = KeyStore.getInstance(DEFAULT_TYPE);
    keyStore.load(null, null);
    int index = 0;
    for (Certificate certificate : certificates) {
      keyStore.setCertificateEntry("ca-" + index++, certificate);
    }
    return keyStore;
  }

  private static KeyStore pemKeyStore(StoreFile store, String key)
      throws IOException, GeneralSecurityException {
    String text = Files.readString(store.location(), StandardCharsets.US_ASCII);
    List<Certificate> chain = new ArrayList<>(certificates(store.location()));
    PrivateKey privateKey = null;
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      String label = block.group(1);
      if (label.equals("PRIVATE KEY")) {
        privateKey = privateKey(Base64.getMimeDecoder().decode(block.group(2)));
      } else if (label.endsWith("PRIVATE KEY")) {
        throw new ConfigException(
            key
                + ": the PEM key is a "
                + label
                + "; give an unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt) or a PKCS12"
                + " store");
      }
    }
    if (privateKey == null || chain.isEmpty()) {
      throw new ConfigException(
          key + ": a PEM key store holds the certificate chain and a -----BEGIN PRIVATE KEY-----");
    }
    KeyStore keyStore = KeyStore.getInstance(DEFAULT_TYPE);
    keyStore.load(null, null);
    char[] password = store.password().map(String::toCharArray).orElse(new char[0]);
    keyStore.setKeyEntry("client", privateKey, password, chain.toArray(Certificate[]::new));
    return keyStore;
  }

  private static Collection<? extends Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    // The JDK's X.509 factory skips the text around the CERTIFICATE blocks, private keys included.
    StringBuilder only = new StringBuilder();
    Matcher block = PEM_BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    while (block.find()) {
      if (block.group(1).equals("CERTIFICATE")) {
        only.append(block.group()).append('\n');
      }
    }
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(
            new ByteArrayInputStream(only.toString().getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  private static void checkType(String key, String type) {
    if (!TYPES.contains(type)) {
      throw new ConfigException(key, type, "supported types are " + String.join(", ", TYPES));
    }
  }
}
