package io.optin.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.optin.avro.SignupRequested;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST client against a real HTTP server speaking Confluent's Schema Registry API. */
class RestSchemaRegistryClientTest {

  private static final String SUBJECT = Topics.SIGNUP_REQUESTS.valueSubject();
  private static final Schema SIGNUP = SignupRequested.getClassSchema();

  private final FakeConfluentRegistry registry = FakeConfluentRegistry.start("", 7);

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldRegisterWithConfluentMediaTypesAndReturnTheIdTheRegistryAssigned() throws IOException {
    // Given a client of the registry
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // When a schema is registered
    int id = client.register(SUBJECT, SIGNUP);

    // Then the id is the registry's, asked for with Confluent's request shape and media types
    assertThat(id).isEqualTo(7);
    FakeConfluentRegistry.Request request = registry.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/optin.signup-requests.v1-value/versions");
    assertThat(request.header("Content-Type")).contains("application/vnd.schemaregistry.v1+json");
    assertThat(request.header("Accept").orElseThrow())
        .startsWith("application/vnd.schemaregistry.v1+json");
    assertThat(request.header("Authorization")).isEmpty();
    String sent = new ObjectMapper().readTree(request.body()).get("schema").asText();
    assertThat(new Schema.Parser().parse(sent)).isEqualTo(SIGNUP);
  }

  @Test
  void shouldAnswerRepeatedQuestionsFromItsCacheWithoutAnotherHttpCall() {
    // Given a schema registered once through the client
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
    int id = client.register(SUBJECT, SIGNUP);

    // When the same registration, a lookup and the schema of that id are asked again and again
    for (int i = 0; i < 3; i++) {
      assertThat(client.register(SUBJECT, SIGNUP)).isEqualTo(id);
      assertThat(client.lookupId(SUBJECT, SIGNUP)).isEqualTo(id);
      assertThat(client.schemaById(id)).isEqualTo(SIGNUP);
    }

    // Then only the first registration went over HTTP
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void shouldAskABusyRegistryAgainAfterItsRetryAfterInsteadOfFailing() {
    // Given a registry that sheds load: its next two answers are 503 with Retry-After
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
    registry.busyFor(2);

    // When a schema is registered
    int id = client.register(SUBJECT, SIGNUP);

    // Then it is registered on the third call, with the registry's id
    assertThat(id).isEqualTo(7);
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void shouldStillReportARegistryThatStaysBusy() {
    // Given a registry busy for longer than the client waits
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
    registry.busyFor(100);

    // When a schema is registered, then the 503 is reported after a bounded number of calls
    assertThatThrownBy(() -> client.register(SUBJECT, SIGNUP))
        .isInstanceOf(SchemaRegistryException.class)
        .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(503));
    assertThat(registry.requests()).hasSize(6);
  }

  @Test
  void shouldRegisterASchemaFirstUsedByManyThreadsAtOnceWithOneCall() throws Exception {
    // Given a client shared by 32 threads, each about to send its first record of one type
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
    ExecutorService threads = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        ids.add(
            threads.submit(
                () -> {
                  start.await();
                  return client.register(SUBJECT, SIGNUP);
                }));
      }

      // When they all register it at once
      start.countDown();

      // Then every thread has the registry's id, asked for once
      for (Future<Integer> id : ids) {
        assertThat(id.get(30, TimeUnit.SECONDS)).isEqualTo(7);
      }
      assertThat(registry.requests()).hasSize(1);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void shouldFetchASchemaByIdOnceAndThenServeItFromCache() {
    // Given a schema another producer registered
    int id = registry.store().register("other-value", SubscriberStatus.getClassSchema());
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // When its id is resolved several times
    Schema first = client.schemaById(id);
    Schema second = client.schemaById(id);

    // Then one GET /schemas/ids/{id} served them all
    assertThat(first).isEqualTo(SubscriberStatus.getClassSchema()).isSameAs(second);
    assertThat(registry.requests())
        .extracting(FakeConfluentRegistry.Request::path)
        .containsExactly("/schemas/ids/" + id);
  }

  @Test
  void shouldSendBasicAuthFromConfluentUserInfo() {
    // Given a registry that requires basic auth, and a client configured the Confluent way
    registry.requireBasicAuth("optin:test-registry-password");
    RestSchemaRegistryClient client =
        RestSchemaRegistryClient.fromConfig(
            java.util.Map.of(
                "schema.registry.url", registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "optin:test-registry-password"));

    // When it registers
    client.register(SUBJECT, SIGNUP);

    // Then the Authorization header carried the credentials
    assertThat(registry.requests().get(0).header("Authorization"))
        .contains("Basic b3B0aW46dGVzdC1yZWdpc3RyeS1wYXNzd29yZA==");
  }

  @Test
  void shouldReportMissingCredentialsAs401NamingTheSetting() {
    // Given a registry that requires basic auth and a client without credentials
    registry.requireBasicAuth("optin:test-registry-password");
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // Then registering fails with the status and a pointer to the setting
    assertThatThrownBy(() -> client.register(SUBJECT, SIGNUP))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
        .hasMessageContaining("basic.auth.user.info");
  }

  @Test
  void shouldReportAnIncompatibleSchemaAs409NamingTheSubject() {
    // Given a subject holding SubscriberStatus, and a next version adding a field without default
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
    client.register("status-value", SubscriberStatus.getClassSchema());
    Schema breaking =
        SchemaBuilder.record("SubscriberStatus")
            .namespace("io.optin.avro")
            .fields()
            .requiredString("programId")
            .requiredString("phone")
            .requiredString("tenant")
            .endRecord();

    // Then registering it is refused by the registry's compatibility rule
    assertThatThrownBy(() -> client.register("status-value", breaking))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
            })
        .hasMessageContaining("incompatible with subject 'status-value'");
  }

  @Test
  void shouldParseConfluentErrorCodeAndMessageFromTheBody() {
    // Given a client and an id the registry never issued
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // Then the 404's error_code 40403 and message are carried by the exception
    assertThatThrownBy(() -> client.schemaById(999))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
              assertThat(e.isNotFound()).isTrue();
            })
        .hasMessageContaining("Schema 999 not found")
        .hasMessageContaining("GET /schemas/ids/999");
  }

  @Test
  void shouldLookUpWithoutRegisteringThroughPostSubject() {
    // Given a schema registered by a deployment step
    registry.store().register(SUBJECT, SIGNUP);
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // When the client looks its id up
    int id = client.lookupId(SUBJECT, SIGNUP);

    // Then it asked POST /subjects/{subject}, which registers nothing
    assertThat(id).isEqualTo(7);
    assertThat(registry.requests())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.method()).isEqualTo("POST");
              assertThat(request.path()).isEqualTo("/subjects/" + SUBJECT);
            });
    assertThat(registry.store().versionIds(SUBJECT)).hasSize(1);
  }

  @Test
  void shouldReportAnUnregisteredSchemaWithConfluentCodes() {
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // Given an unknown subject, Then 40401
    assertThatThrownBy(() -> client.lookupId(SUBJECT, SIGNUP))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND))
        .hasMessageContaining("not registered under subject '" + SUBJECT + "'");

    // Given a subject holding another schema, Then 40403
    registry.store().register(SUBJECT, SubscriberStatus.getClassSchema());
    assertThatThrownBy(() -> client.lookupId(SUBJECT, SIGNUP))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
  }

  @Test
  void shouldReadTheLatestVersionOfASubject() {
    // Given a subject with one version
    registry.store().register(SUBJECT, SIGNUP);
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));

    // Then latest() gives its id, version and schema
    assertThat(client.latest(SUBJECT)).isEqualTo(new RegisteredSchema(SUBJECT, 7, 1, SIGNUP));
  }

  @Test
  void shouldSayTheRegistryIsUnreachableNamingItsUrl() throws IOException {
    // Given a URL where nothing listens
    String down = "http://127.0.0.1:" + closedPort();
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistrySettings.of(down));

    // Then the error says which registry cannot be reached
    assertThatThrownBy(() -> client.register(SUBJECT, SIGNUP))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isUnreachable()).isTrue())
        .hasMessageStartingWith("Schema Registry at " + down + " is unreachable: ")
        .hasMessageContaining("ConnectException");
  }

  @Test
  void shouldFailOverToTheNextUrlWhenOneIsDown() throws IOException {
    // Given two URLs, the first one down
    String down = "http://127.0.0.1:" + closedPort();
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.of(down + "," + registry.url()));

    // When registering twice on different subjects
    client.register(SUBJECT, SIGNUP);
    client.register("other-value", SIGNUP);

    // Then the live registry served both
    assertThat(registry.requests()).hasSize(2);
    assertThat(registry.store().subjects())
        .containsExactly("optin.signup-requests.v1-value", "other-value");
  }

  @Test
  void shouldKeepThePathOfTheBaseUrlAndEncodeTheSubject() {
    // Given a registry serving the Confluent API under a prefix, as Apicurio does
    try (FakeConfluentRegistry apicurioLike = FakeConfluentRegistry.start("/apis/ccompat/v7", 1)) {
      RestSchemaRegistryClient client =
          new RestSchemaRegistryClient(SchemaRegistrySettings.of(apicurioLike.url() + "/"));

      // When a subject with characters that need escaping is used
      int id = client.register("team a/signups+v1", SIGNUP);

      // Then the request went under the prefix with the subject as one encoded path segment
      assertThat(apicurioLike.requests().get(0).path())
          .isEqualTo("/apis/ccompat/v7/subjects/team%20a%2Fsignups%2Bv1/versions");
      assertThat(apicurioLike.store().versionIds("team a/signups+v1")).containsExactly(id);
    }
  }

  @Test
  void shouldReportAnErrorPageThatIsNotJson() throws IOException {
    // Given a proxy answering 502 with an HTML page
    HttpServer proxy =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    proxy.createContext(
        "/",
        exchange -> {
          byte[] page = "<html><body>Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html");
          exchange.sendResponseHeaders(502, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    proxy.start();
    try {
      RestSchemaRegistryClient client =
          new RestSchemaRegistryClient(
              SchemaRegistrySettings.of("http://127.0.0.1:" + proxy.getAddress().getPort()));

      // Then the status and the page's text are reported, with no error code
      assertThatThrownBy(() -> client.schemaById(1))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(502);
                assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
              })
          .hasMessageContaining("answered 502")
          .hasMessageContaining("Bad Gateway");
    } finally {
      proxy.stop(0);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
