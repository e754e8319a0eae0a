package io.optin.dispatcher.challenge;

import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.streams.StreamsConfigs;
import io.optin.kit.streams.StreamsService;
import io.optin.schemas.serde.AvroSerdes;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the {@link ChallengeTopology} as Kafka Streams application {@value
 * ChallengeTopology#APPLICATION_ID}, with exactly-once processing from {@link StreamsConfigs} and
 * the failure policy of {@link StreamsService}. Poison input is routed by the topology as typed
 * refusals; it throws nothing of its own.
 */
public final class DispatcherService extends StreamsService {

  /** The service's word, in health and metrics. */
  public static final String NAME = "dispatcher";

  /**
   * @param clientSettings Kafka client and Streams settings ({@code bootstrap.servers}, {@code
   *     state.dir}, {@code num.stream.threads}…); they override the defaults, never exactly-once
   */
  public DispatcherService(
      ChallengeTopologyConfig config,
      Map<String, String> clientSettings,
      AvroSerdes serdes,
      SubjectKeys subjects) {
    this(config, clientSettings, serdes, subjects, Options.defaults());
  }

  /**
   * @param subjects the consent ledger's subject keys ({@code audit.subject.secret}), by which
   *     erasure requests name the phone to forget
   * @param options the restart budget and the metrics
   */
  public DispatcherService(
      ChallengeTopologyConfig config,
      Map<String, String> clientSettings,
      AvroSerdes serdes,
      SubjectKeys subjects,
      Options options) {
    super(
        NAME,
        ChallengeTopology.APPLICATION_ID,
        ChallengeTopology.build(Objects.requireNonNull(config, "config"), serdes, subjects),
        clientSettings,
        options);
  }
}
