package io.optin.ingest;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of the consumers with which every ingest instance follows a whole topic by itself (the
 * status table, the intake claims): no group, because each instance needs every record, and so no
 * offsets committed; committed records only; never a topic created by accident with broker
 * defaults.
 */
final class FollowerConsumers {

  private FollowerConsumers() {}

  static Map<String, Object> config(String clientId, Map<String, String> clientSettings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.putAll(clientSettings);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return config;
  }
}
