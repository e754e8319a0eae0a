package io.optin.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throw-away certificates made at test time with the JDK's keytool: a server certificate for
 * 127.0.0.1 and a client certificate, each self-signed, each side trusting the other's; PKCS12
 * stores, and the same as PEM files. No private key is committed to the repository.
 */
public final class TestCertificates {

  public static final String STORE_PASSWORD = "test-store-password";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes the stores in {@code dir} (a few seconds of keytool). */
  public static TestCertificates create(Path dir) {
    TestCertificates certificates = new TestCertificates(dir);
    certificates.pair("server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
    certificates.pair("client", "CN=optin-test-client", null);
    certificates.keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "server",
        "-file",
        "server.pem",
        "-keystore",
        "client-trust.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    certificates.keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "client",
        "-file",
        "client.pem",
        "-keystore",
        "server-trust.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    certificates.writePemKeyStore();
    return certificates;
  }

  /** The server's certificate and key (PKCS12). */
  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }

  /** The server's certificates the server trusts for clients: the client's (PKCS12). */
  public Path serverTrustStore() {
    return dir.resolve("server-trust.p12");
  }

  /** The client's certificate and key (PKCS12). */
  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** What the client trusts: the server's certificate (PKCS12). */
  public Path clientTrustStore() {
    return dir.resolve("client-trust.p12");
  }

  /** The client's certificate and unencrypted PKCS#8 key in one PEM file. */
  public Path clientPemKeyStore() {
    return dir.resolve("client-key.pem");
  }

  /** The server's certificate, PEM. */
  public Path serverCertificatePem() {
    return dir.resolve("server.pem");
  }

  /** The server side: its certificate, and trusting the client's. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(serverKeyStore()), STORE_PASSWORD.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(serverTrustStore()));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void pair(String alias, String dname, String extension) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2",
                "-keystore",
                alias + ".p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD));
    if (extension != null) {
      args.addAll(List.of("-ext", extension));
    }
    keytool(args.toArray(String[]::new));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        alias,
        "-file",
        alias + ".pem",
        "-keystore",
        alias + ".p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
  }

  private void writePemKeyStore() {
    try {
      KeyStore client = load(clientKeyStore());
      Key key = client.getKey("client", STORE_PASSWORD.toCharArray());
      Certificate certificate = client.getCertificate("client");
      String pem =
          pem("CERTIFICATE", certificate.getEncoded()) + pem("PRIVATE KEY", key.getEncoded());
      Files.writeString(clientPemKeyStore(), pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private static KeyStore load(Path file) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD.toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
