package io.optin.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.tools.ConsentRoute;
import io.optin.dispatcher.webhook.StatusWebhookHandler;
import io.optin.ingest.BlockedPrefixesHandler;
import io.optin.ingest.SignupHandler;
import io.optin.replies.api.SubscriberQueryHandler;
import io.optin.replies.api.VerificationHandler;
import io.optin.replies.webhook.InboundWebhookHandler;
import io.optin.server.keys.EnvFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml would start: each optin container, given exactly the environment Compose would
 * give it (the image's ENV, {@code env_file} .env as {@code optin keys generate} writes it from
 * .env.example, {@code environment} with {@code ${VAR}} interpolated from .env), passes {@code
 * optin run <service> --check}; and the file keeps the rules a multi-container deployment needs
 * (healthchecks, volumes, no fixed host port on a scalable service, the topics job retried). No
 * Docker engine runs here: this is what stands in for {@code docker compose up}.
 */
class DeploymentFilesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The optin services, one container each, in start order. */
  private static final List<String> OPTIN_SERVICES =
      List.of("ingest", "dispatcher", "sender", "replies", "audit");

  /** What an operator fills in .env beyond the generated secrets (values of a test account). */
  private static final Map<String, String> OPERATOR_VALUES =
      Map.of(
          "OPTIN_TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32),
          "OPTIN_TWILIO_AUTH_TOKEN", "test-auth-token",
          "OPTIN_TWILIO_FROM", "+15005550006",
          "OPTIN_PUBLIC_BASE_URL", "https://sms.example.com");

  @TempDir static Path dir;

  private static Map<String, Object> services;
  private static Map<String, String> dotEnv;

  @BeforeAll
  static void readTheFiles() throws IOException {
    services = ComposeFile.read(ROOT.resolve("docker-compose.yml")).services();
    Path written = dir.resolve(".env");
    dotEnv = new TreeMap<>(CheckRuns.generateEnvFile(ROOT.resolve(".env.example"), written));
    dotEnv.putAll(OPERATOR_VALUES);
  }

  @Test
  void shouldLeaveOnlyTwilioAndThePublicUrlToFillAfterKeysGenerate() throws IOException {
    // Given .env.example as `optin keys generate --template` fills it
    EnvFile generated = EnvFile.parse(Files.readString(dir.resolve(".env")));

    // Then what remains blank is what only the operator knows
    assertThat(generated.blanks()).containsExactlyInAnyOrderElementsOf(OPERATOR_VALUES.keySet());
  }

  @Test
  void shouldPassTheCheckOfEveryOptinContainerWithExactlyItsComposeEnvironment() {
    // Given the optin services of the compose file
    assertThat(optinServices()).containsExactlyElementsOf(OPTIN_SERVICES);
    for (String name : OPTIN_SERVICES) {
      // When optin run <service> --check runs with that container's environment
      Map<String, String> environment = ComposeFile.containerEnvironment(service(name), dotEnv);
      CheckRuns.Result result = CheckRuns.check(environment, commandOf(name));

      // Then it would start
      assertThat(result.output())
          .as(name)
          .isEqualTo("OK: " + name + " would start with these settings (nothing was connected).\n");
      assertThat(result.exitCode()).as(name).isZero();
    }
  }

  @Test
  void shouldFailTheBuildWhenTheEnvFileLacksARequiredKey() {
    // Given each variable .env.example asks for, in turn missing
    Map<String, List<String>> refusedBy = new TreeMap<>();
    for (String missing : dotEnv.keySet()) {
      Map<String, String> lacking = new TreeMap<>(dotEnv);
      lacking.remove(missing);
      List<String> refusing = new ArrayList<>();
      for (String name : OPTIN_SERVICES) {
        try {
          Map<String, String> environment =
              ComposeFile.containerEnvironment(service(name), lacking);
          if (CheckRuns.check(environment, commandOf(name)).exitCode() != 0) {
            refusing.add(name);
          }
        } catch (ComposeFile.InterpolationException e) {
          // Compose itself stops at ${VAR:?...}
          refusing.add("compose");
        }
      }
      refusedBy.put(missing, refusing);
    }

    // Then every one but the subject secret (derived from otp.secret when unset) stops a start;
    // the audit, given its own subject secret, needs no otp.secret
    assertThat(refusedBy)
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "OPTIN_API_TOKENS", List.of("ingest", "replies", "audit"),
                    "OPTIN_AUDIT_MASTER_KEY", List.of("audit"),
                    "OPTIN_AUDIT_SIGNING_KEY", List.of("audit"),
                    "OPTIN_AUDIT_SUBJECT_SECRET", List.of(),
                    "OPTIN_OTP_SECRET", List.of("sender", "replies"),
                    "OPTIN_PUBLIC_BASE_URL",
                        List.of("compose", "compose", "compose", "compose", "compose"),
                    "OPTIN_TWILIO_ACCOUNT_SID", List.of("sender"),
                    "OPTIN_TWILIO_AUTH_TOKEN", List.of("sender", "replies"),
                    "OPTIN_TWILIO_FROM", List.of("dispatcher", "sender"))));
  }

  @Test
  void shouldCheckEveryOptinServiceForReadinessOnItsOwnPort() {
    for (String name : OPTIN_SERVICES) {
      Map<String, Object> service = service(name);
      String test =
          String.join(
              " ", ComposeFile.strings(ComposeFile.map(service, "healthcheck").get("test")));
      Map<String, String> environment = ComposeFile.containerEnvironment(service, dotEnv);
      assertThat(test)
          .as(name)
          .contains("http://127.0.0.1:" + environment.get("OPTIN_HTTP_PORT") + "/health/ready");
      assertThat(ComposeFile.strings(service.get("expose")))
          .as(name)
          .containsExactly(environment.get("OPTIN_HTTP_PORT"));
    }
  }

  @Test
  void shouldLetComposeScaleEveryOptinService() {
    for (String name : OPTIN_SERVICES) {
      Map<String, Object> service = service(name);
      // No fixed host port, container name or host name: two replicas would clash on them
      assertThat(service).as(name).doesNotContainKeys("ports", "container_name", "hostname");
      // Sender and instance ids come from each container's host name, never one shared value
      assertThat(ComposeFile.containerEnvironment(service, dotEnv))
          .as(name)
          .doesNotContainKeys("OPTIN_SMS_SENDER_ID", "OPTIN_INSTANCE_ID");
      // The Streams state of each replica in a volume of its own (anonymous: one per container)
      assertThat(ComposeFile.strings(service.get("volumes")))
          .as(name)
          .containsExactly(stateVolume());
    }
  }

  @Test
  void shouldStartTheServicesOnlyOnTopicsCreatedAndARegistryThatAnswers() {
    for (String name : OPTIN_SERVICES) {
      assertThat(ComposeFile.map(service(name), "depends_on"))
          .as(name)
          .isEqualTo(
              Map.of(
                  "topics", Map.of("condition", "service_completed_successfully"),
                  "schema-registry", Map.of("condition", "service_healthy")));
      assertThat(service(name).get("env_file"))
          .as(name)
          .isEqualTo(List.of("${DEPLOY_ENV_FILE:-.env}"));
      assertThat(service(name).get("build")).as(name).isEqualTo(".");
    }
  }

  @Test
  void shouldRetryTheTopicsJobUntilTheBrokersAnswer() {
    Map<String, Object> topics = service("topics");
    assertThat(topics.get("restart")).isEqualTo("on-failure");
    assertThat(ComposeFile.map(topics, "depends_on")).isEqualTo(healthy(brokers()));
    String script = String.join(" ", ComposeFile.strings(topics.get("command")));
    assertThat(script)
        .contains("topics create --replication-factor 3 && exit 0")
        .contains("for attempt in")
        .endsWith("done; exit 1");
  }

  @Test
  void shouldKeepBrokerDataInVolumesAndOfferAListenerToTheHost() {
    assertThat(brokers()).containsExactly("kafka-1", "kafka-2", "kafka-3");
    Map<String, Object> declared =
        ComposeFile.map(ComposeFile.read(ROOT.resolve("docker-compose.yml")).root(), "volumes");
    int node = 1;
    for (String name : brokers()) {
      Map<String, Object> broker = service(name);
      Map<String, Object> environment = ComposeFile.map(broker, "environment");
      String dataDir = environment.get("KAFKA_LOG_DIRS").toString();
      String volume = name + "-data";
      assertThat(ComposeFile.strings(broker.get("volumes")))
          .containsExactly(volume + ":" + dataDir);
      assertThat(declared).containsKey(volume);
      int hostPort = node * 10_000 + 9_092;
      assertThat(ComposeFile.strings(broker.get("ports")))
          .containsExactly(hostPort + ":" + hostPort);
      assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS").toString())
          .isEqualTo("PLAINTEXT://" + name + ":9092,EXTERNAL://localhost:" + hostPort);
      assertThat(environment.get("KAFKA_LISTENERS").toString()).contains("EXTERNAL://:" + hostPort);
      assertThat(ComposeFile.map(broker, "healthcheck")).containsKey("test");
      node++;
    }
  }

  @Test
  void shouldReplicateTheSchemasAndCheckTheRegistry() {
    Map<String, Object> registry = service("schema-registry");
    assertThat(registry.get("image").toString()).startsWith("confluentinc/cp-schema-registry:");
    assertThat(ComposeFile.map(registry, "environment"))
        .containsEntry("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", 3);
    assertThat(
            String.join(
                " ", ComposeFile.strings(ComposeFile.map(registry, "healthcheck").get("test"))))
        .contains("http://localhost:8081/");
    assertThat(ComposeFile.map(registry, "depends_on")).isEqualTo(healthy(brokers()));
  }

  @Test
  void shouldBindMountOnlyFilesOfTheRepositoryAndNoBuildOutput() {
    for (Map.Entry<String, Object> entry : services.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> service = (Map<String, Object>) entry.getValue();
      for (String volume : ComposeFile.strings(service.get("volumes"))) {
        String source = volume.split(":")[0];
        boolean bind =
            volume.contains(":")
                && (source.startsWith(".") || source.startsWith("/") || source.startsWith("~"));
        if (bind) {
          // A missing source makes Docker create a root-owned directory in its place
          assertThat(source).as(entry.getKey()).doesNotContain("target/").startsWith("./");
          assertThat(ROOT.resolve(source)).as(entry.getKey()).exists();
        }
      }
    }
  }

  @Test
  void shouldRouteEveryPathOfTheGatewayToTheServiceThatServesIt() throws IOException {
    // Given the gateway's configuration
    String conf = Files.readString(ROOT.resolve("deploy/nginx/optin.conf"));
    Matcher location =
        Pattern.compile("location\\s+(\\S+)\\s*\\{\\s*set \\$upstream http://([a-z-]+):8080;")
            .matcher(conf);
    Map<String, String> routed = new TreeMap<>();
    while (location.find()) {
      routed.put(location.group(1), location.group(2));
    }

    // Then each route goes to the service that mounts it
    Map<String, String> owners = new TreeMap<>();
    owners.put(SignupHandler.PATH, "ingest");
    owners.put(BlockedPrefixesHandler.PATH, "ingest");
    owners.put(VerificationHandler.PATH, "replies");
    owners.put(SubscriberQueryHandler.PATH, "replies");
    owners.put(InboundWebhookHandler.PATH, "replies");
    owners.put(StatusWebhookHandler.PATH, "sender");
    owners.put(ConsentRoute.PATH, "audit");
    assertThat(routed).isEqualTo(owners);
    assertThat(ComposeFile.strings(service("gateway").get("volumes")))
        .containsExactly("./deploy/nginx/optin.conf:/etc/nginx/conf.d/default.conf:ro");
  }

  @Test
  void shouldBuildTheImageTheComposeFileRunsFromTheLeanJarAsANonRootUser() throws IOException {
    // Given the Dockerfile's runtime stage
    Dockerfile dockerfile = Dockerfile.read(ROOT.resolve("Dockerfile"));

    // Then the build stage packages the server's jar, which the runtime runs as a non-root user
    assertThat(dockerfile.stages()).hasSize(2);
    assertThat(dockerfile.stage(0))
        .anyMatch(line -> line.startsWith("FROM maven:") && line.contains("temurin-17"));
    assertThat(dockerfile.stage(0))
        .anyMatch(line -> line.contains("mvn -B -q -pl server -am -DskipTests package"));
    assertThat(dockerfile.stage(0))
        .anyMatch(line -> line.contains("server/target/optin-server.jar"));
    assertThat(Files.readString(ROOT.resolve("server/pom.xml")))
        .contains("<finalName>optin-server</finalName>");
    assertThat(dockerfile.stage(1)).first().isEqualTo("FROM eclipse-temurin:17-jre");
    assertThat(dockerfile.last("USER")).isEqualTo("optin:optin");
    assertThat(dockerfile.last("COPY"))
        .isEqualTo("--from=build /optin-server.jar /opt/optin/optin-server.jar");
    assertThat(dockerfile.last("ENTRYPOINT")).contains("\"-jar\", \"/opt/optin/optin-server.jar\"");
    // And the state directory the services are given is in the image's volume
    String stateDir = dockerfile.environment().get("OPTIN_STREAMS_STATE_DIR");
    assertThat(stateDir).isEqualTo("/var/lib/optin/state");
    assertThat(dockerfile.last("VOLUME")).isEqualTo("[\"" + stateVolume() + "\"]");
    assertThat(stateDir).startsWith(stateVolume() + "/");
    // And the healthchecks' curl is installed
    assertThat(dockerfile.stage(1))
        .anyMatch(line -> line.contains("install -y --no-install-recommends curl"));
    // And no secret or build output goes into the build context
    assertThat(Files.readAllLines(ROOT.resolve(".dockerignore")))
        .contains("**/target/", ".env", ".git/");
    assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldGiveAKubernetesExampleWiredAsDocumented() throws IOException {
    // Given the YAML of docs/deploy.md
    String doc = Files.readString(ROOT.resolve("docs/deploy.md"));
    Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(block.find()).isTrue();
    Map<String, Object> statefulSet = null;
    for (Object document : new Yaml().loadAll(block.group(1))) {
      Map<String, Object> resource = (Map<String, Object>) document;
      if ("StatefulSet".equals(resource.get("kind"))) {
        statefulSet = resource;
      }
    }
    assertThat(statefulSet).isNotNull();
    Map<String, Object> pod =
        ComposeFile.map(ComposeFile.map(ComposeFile.map(statefulSet, "spec"), "template"), "spec");
    Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);

    // Then the pod's name is its instance id and sender id, the secrets come from the Secret
    Map<String, Object> variables = new LinkedHashMap<>();
    for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
      variables.put(
          variable.get("name").toString(),
          variable.containsKey("value") ? variable.get("value") : variable.get("valueFrom"));
    }
    assertThat(variables.get("POD_NAME"))
        .isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "metadata.name")));
    assertThat(variables).containsEntry("OPTIN_INSTANCE_ID", "$(POD_NAME)");
    assertThat(variables).containsEntry("OPTIN_SMS_SENDER_ID", "$(POD_NAME)");
    assertThat(container.get("envFrom"))
        .isEqualTo(List.of(Map.of("secretRef", Map.of("name", "optin-secrets"))));
    // And the probes are the health endpoints on the management port, the state in the image's
    // volume, as its user
    assertThat(ComposeFile.map(ComposeFile.map(container, "readinessProbe"), "httpGet"))
        .isEqualTo(Map.of("path", "/health/ready", "port", "management"));
    assertThat(ComposeFile.map(ComposeFile.map(container, "livenessProbe"), "httpGet"))
        .isEqualTo(Map.of("path", "/health/live", "port", "management"));
    assertThat(container.get("ports"))
        .isEqualTo(
            List.of(
                Map.of("name", "http", "containerPort", 8080),
                Map.of(
                    "name",
                    "management",
                    "containerPort",
                    Integer.parseInt(variables.get("OPTIN_HTTP_MANAGEMENT_PORT").toString()))));
    assertThat(container.get("volumeMounts"))
        .isEqualTo(List.of(Map.of("name", "state", "mountPath", stateVolume())));
    assertThat(ComposeFile.map(pod, "securityContext")).containsEntry("runAsUser", 10001);
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("--uid 10001");

    // And the pod's environment, the Secret being the generated .env, passes the check
    Map<String, String> environment = new TreeMap<>(dotEnv);
    variables.forEach(
        (name, value) -> {
          if (name.startsWith("OPTIN_")) {
            environment.put(name, value.toString().replace("$(POD_NAME)", "optin-sender-0"));
          }
        });
    List<String> args = ComposeFile.strings(container.get("args"));
    assertThat(args).containsExactly("run", "sender");
    CheckRuns.Result result = CheckRuns.check(environment, args);
    assertThat(result.output())
        .isEqualTo("OK: sender would start with these settings (nothing was connected).\n");
  }

  private static String stateVolume() {
    return "/var/lib/optin";
  }

  private static List<String> optinServices() {
    List<String> names = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          List<String> command = ComposeFile.strings(((Map<?, ?>) service).get("command"));
          if (!command.isEmpty() && command.get(0).equals("run")) {
            names.add(name);
          }
        });
    return names;
  }

  private static List<String> commandOf(String name) {
    List<String> command = ComposeFile.strings(service(name).get("command"));
    assertThat(command).as(name).containsExactly("run", name);
    return command;
  }

  private static List<String> brokers() {
    List<String> names = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          if (String.valueOf(((Map<?, ?>) service).get("image")).startsWith("apache/kafka:")) {
            names.add(name);
          }
        });
    return names;
  }

  private static Map<String, Object> healthy(List<String> names) {
    Map<String, Object> conditions = new LinkedHashMap<>();
    names.forEach(name -> conditions.put(name, Map.of("condition", "service_healthy")));
    return conditions;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    Object service = services.get(name);
    assertThat(service).as("service " + name).isNotNull();
    return (Map<String, Object>) service;
  }
}
