package io.optin.devkit;

import static io.optin.devkit.DevSettings.DEV_SANDBOX_PORT;
import static io.optin.dispatcher.DispatcherSettings.SMS_SENDER_ID;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_ACCOUNT_SID;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_API_BASE_URL;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_FROM;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_MESSAGING_SERVICE_SID;
import static io.optin.kit.config.ProcessSettings.API_TOKENS;
import static io.optin.kit.config.ProcessSettings.HTTP_ADVERTISED_URL;
import static io.optin.kit.config.ProcessSettings.HTTP_MANAGEMENT_PORT;
import static io.optin.kit.config.ProcessSettings.HTTP_PORT;
import static io.optin.kit.config.ProcessSettings.PUBLIC_BASE_URL;
import static io.optin.kit.config.ProcessSettings.STREAMS_STATE_DIR;
import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;

import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.ListeningPorts;
import io.optin.server.stack.OptinServices;
import io.optin.server.stack.ServiceName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The whole of optin in one process, on the embedded default: the {@link DevStack} (broker, topics,
 * registry), the Twilio sandbox unless Twilio credentials are set, every service, and the {@link
 * HttpGateway}. What {@code optin dev} leaves running and {@code optin demo} drives.
 *
 * <p>The sandbox's account sid and auth token are generated for the session and handed to the
 * services, so the SDK authenticates against it and every webhook it posts is signed with the token
 * the services check.
 */
public final class EmbeddedOptin implements AutoCloseable {

  /** Twilio's magic "From" number that always succeeds; the sender when none is set in dev. */
  public static final String SANDBOX_FROM = "+15005550006";

  static final String HOST = "127.0.0.1";
  static final String INBOUND_PATH = "/webhooks/twilio/inbound";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DevStack stack;
  private final TwilioSandbox sandbox;
  private final HttpGateway gateway;
  private final OptinServices services;
  private final URI publicBaseUrl;

  private EmbeddedOptin(
      DevStack stack,
      TwilioSandbox sandbox,
      HttpGateway gateway,
      OptinServices services,
      URI publicBaseUrl) {
    this.stack = stack;
    this.sandbox = sandbox;
    this.gateway = gateway;
    this.services = services;
    this.publicBaseUrl = publicBaseUrl;
  }

  /**
   * Starts everything; the services then join the broker in the background (see {@link
   * #isReady()}).
   *
   * @throws io.optin.server.PortInUseException when a port of the settings is taken
   * @throws io.optin.kit.config.SettingsException when a setting is missing or bad
   */
  public static EmbeddedOptin start(Settings settings) {
    return start(settings, null);
  }

  /**
   * {@link #start(Settings)} for {@code optin demo} only: codes expire after {@code window} (5 s to
   * 60 min) instead of {@code otp.expiry}, so a demo shows expiry in seconds; no setting can do
   * this.
   */
  public static EmbeddedOptin startDemo(Settings settings, Duration window) {
    return start(settings, Objects.requireNonNull(window, "window"));
  }

  private static EmbeddedOptin start(Settings settings, Duration demoWindow) {
    OptionalInt managementPort = ProcessSettings.managementPort(settings);
    ListeningPorts.requireFree(HOST, settings.integer(HTTP_PORT), HTTP_PORT);
    if (managementPort.isPresent()) {
      ListeningPorts.requireFree(HOST, managementPort.getAsInt(), HTTP_MANAGEMENT_PORT);
    }
    boolean useSandbox = settings.optional(TWILIO_ACCOUNT_SID).isEmpty();
    if (useSandbox) {
      ListeningPorts.requireFree(HOST, settings.integer(DEV_SANDBOX_PORT), DEV_SANDBOX_PORT);
    }
    DevStack stack = DevStack.start(settings);
    TwilioSandbox sandbox = null;
    HttpGateway gateway = null;
    try {
      Map<String, String> overrides = new LinkedHashMap<>();
      if (useSandbox) {
        String accountSid = "AC" + randomHex(16);
        String authToken = randomHex(16);
        sandbox = startSandbox(settings.integer(DEV_SANDBOX_PORT), accountSid, authToken);
        overrides.put(TWILIO_ACCOUNT_SID.key(), accountSid);
        overrides.put(TWILIO_AUTH_TOKEN.key(), authToken);
        overrides.put(TWILIO_API_BASE_URL.key(), sandbox.baseUrl().toString());
      }
      Metrics registry = new Metrics();
      gateway =
          HttpGateway.open(
              HOST,
              settings.integer(HTTP_PORT),
              managementPort,
              ProcessSettings.httpLimits(settings),
              settings.list(API_TOKENS),
              registry);
      URI publicBaseUrl =
          isDefault(settings, PUBLIC_BASE_URL)
              ? gateway.url()
              : URI.create(settings.string(PUBLIC_BASE_URL));
      overrides.put(PUBLIC_BASE_URL.key(), publicBaseUrl.toString());
      if (settings.optional(HTTP_ADVERTISED_URL).isEmpty()) {
        // One process on a laptop: its own loopback port, which the host check accepts.
        overrides.put(HTTP_ADVERTISED_URL.key(), gateway.url().toString());
      }
      // A laptop's port: only its own pages (and Twilio through the public URL's tunnel) may call.
      gateway.loopbackHostsOnly(Set.of(publicBaseUrl.getHost()));
      if (settings.optional(TWILIO_FROM).isEmpty()
          && settings.optional(TWILIO_MESSAGING_SERVICE_SID).isEmpty()) {
        overrides.put(TWILIO_FROM.key(), SANDBOX_FROM);
      }
      if (isDefault(settings, STREAMS_STATE_DIR)) {
        overrides.put(STREAMS_STATE_DIR.key(), stack.dataDir().resolve("streams").toString());
      }
      if (settings.optional(SMS_SENDER_ID).isEmpty()) {
        overrides.put(SMS_SENDER_ID.key(), "dev");
      }
      Settings serviceSettings = stack.serviceSettings().with(overrides, "optin dev");
      OptinServices services =
          demoWindow == null
              ? OptinServices.start(
                  serviceSettings, EnumSet.allOf(ServiceName.class), OptinMetrics.on(registry))
              : OptinServices.startDemo(
                  serviceSettings,
                  demoWindow,
                  EnumSet.allOf(ServiceName.class),
                  OptinMetrics.on(registry));
      gateway.mount(services.services());
      if (sandbox != null) {
        sandbox.inboundWebhookUrl(URI.create(publicBaseUrl + INBOUND_PATH));
      }
      return new EmbeddedOptin(stack, sandbox, gateway, services, publicBaseUrl);
    } catch (RuntimeException e) {
      if (gateway != null) {
        gateway.close();
      }
      if (sandbox != null) {
        sandbox.close();
      }
      stack.close();
      throw e;
    }
  }

  /** Whether every service is ready (what {@code /health/ready} answers 200 to). */
  public boolean isReady() {
    return services.notReady().isEmpty();
  }

  /** Where the API, the webhooks, health and metrics listen: {@code http://127.0.0.1:<port>}. */
  public URI gatewayUrl() {
    return gateway.url();
  }

  /**
   * Where only health and metrics listen ({@code http.management.port}); empty when it is not set.
   */
  public Optional<URI> managementUrl() {
    return gateway.managementUrl();
  }

  /** The URL Twilio calls and signatures are checked against ({@code public.base.url}). */
  public URI publicBaseUrl() {
    return publicBaseUrl;
  }

  /** {@code public.base.url} + {@code /webhooks/twilio/inbound}: where replies are posted. */
  public URI inboundWebhookUrl() {
    return URI.create(publicBaseUrl + INBOUND_PATH);
  }

  /** The built-in Twilio sandbox; empty when real Twilio credentials are set. */
  public Optional<TwilioSandbox> sandbox() {
    return Optional.ofNullable(sandbox);
  }

  /**
   * The number SMS are sent from ({@code twilio.from}), or empty when a messaging service sends.
   */
  public Optional<String> fromNumber() {
    return services.settings().optional(TWILIO_FROM);
  }

  public String bootstrapServers() {
    return stack.bootstrapServers();
  }

  public String registryUrl() {
    return stack.registryUrl();
  }

  public Path dataDir() {
    return stack.dataDir();
  }

  /** The broker, registry and topics underneath. */
  public DevStack devStack() {
    return stack;
  }

  public HttpGateway gateway() {
    return gateway;
  }

  public OptinServices services() {
    return services;
  }

  public AvroSerdes serdes() {
    return services.serdes();
  }

  public OtpCodes codes() {
    return services.codes();
  }

  public SubjectKeys subjectKeys() {
    return services.subjectKeys();
  }

  public OptinMetrics metrics() {
    return services.metrics();
  }

  /**
   * The settings the services run with (broker, registry, sandbox credentials and URLs filled in).
   */
  public Settings settings() {
    return services.settings();
  }

  /** Stops the HTTP port, the services, the sandbox, then the registry and the broker. */
  @Override
  public void close() {
    gateway.close();
    services.close();
    if (sandbox != null) {
      sandbox.close();
    }
    stack.close();
  }

  private static TwilioSandbox startSandbox(int port, String accountSid, String authToken) {
    try {
      return new TwilioSandbox(HOST, port, accountSid, authToken).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Twilio sandbox on port " + port, e);
    }
  }

  /** Whether the user left a setting alone, so dev may choose it. */
  private static boolean isDefault(Settings settings, Setting<?> setting) {
    return settings.origin(setting).equals("default");
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
