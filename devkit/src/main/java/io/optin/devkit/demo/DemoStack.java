package io.optin.devkit.demo;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.schemas.serde.AvroSerdes;
import java.net.URI;
import java.time.Duration;

/**
 * What the demo needs of a running optin: its HTTP port, the Twilio sandbox it texts through, its
 * broker.
 */
public interface DemoStack extends AutoCloseable {

  /** Base URL of optin's HTTP port ({@code /v1/*}, webhooks). */
  URI gatewayUrl();

  /** The sandbox optin sends through; its inbound webhook URL points at optin. */
  TwilioSandbox sandbox();

  String bootstrapServers();

  /** Serdes on the stack's Schema Registry. */
  AvroSerdes serdes();

  /** The public key the ledger's checkpoints verify with. */
  CheckpointPublicKey ledgerPublicKey();

  /**
   * The settings the services run with (the ledger's keys among them), or null when the stack does
   * not share them: the demo then issues no consent certificate.
   */
  default Settings settings() {
    return null;
  }

  @Override
  void close();

  /** Starts a fresh stack (free ports, empty data) whose codes expire after {@code window}. */
  @FunctionalInterface
  interface Starter {
    DemoStack start(Duration window);
  }
}
