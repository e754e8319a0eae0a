package io.optin.replies.matching;

import io.optin.schemas.registry.RegisteredSchema;
import io.optin.schemas.registry.SchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry client that can be taken down: while down it answers only what it answered before (as
 * the REST client's cache does), anything else fails as unreachable.
 */
final class OutageRegistry implements SchemaRegistryClient {

  private final SchemaRegistryClient registry;
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  OutageRegistry(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  void goDown() {
    down = true;
  }

  @Override
  public int register(String subject, Schema schema) {
    String question = "register " + subject + " " + schema;
    check(question);
    int id = registry.register(subject, schema);
    answered.add(question);
    return id;
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    String question = "lookup " + subject + " " + schema;
    check(question);
    int id = registry.lookupId(subject, schema);
    answered.add(question);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    String question = "id " + id;
    check(question);
    Schema schema = registry.schemaById(id);
    answered.add(question);
    return schema;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    check("latest " + subject + " (never cached)");
    return registry.latest(subject);
  }

  private void check(String question) {
    if (down && !answered.contains(question)) {
      throw new SchemaRegistryException(
          SchemaRegistryException.NO_RESPONSE,
          SchemaRegistryException.NO_RESPONSE,
          "Schema Registry is unreachable (test outage)");
    }
  }
}
