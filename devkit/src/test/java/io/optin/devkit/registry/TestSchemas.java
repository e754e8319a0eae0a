package io.optin.devkit.registry;

/** Avro schemas of a small evolving record, for registry tests. */
final class TestSchemas {

  /** Version 1: a phone. */
  static final String SIGNUP_V1 =
      """
            {"type":"record","name":"Signup","namespace":"io.optin.test",
             "fields":[{"name":"phone","type":"string"}]}""";

  /** The same schema as {@link #SIGNUP_V1}, laid out differently. */
  static final String SIGNUP_V1_REFORMATTED =
      """
            {
              "namespace" : "io.optin.test",   "type" : "record",
              "name" : "Signup",
              "fields" : [ { "type" : "string", "name" : "phone" } ]
            }
            """;

  /** Adds a field with a default: backward and forward compatible with v1. */
  static final String SIGNUP_V2_WITH_LOCALE =
      """
            {"type":"record","name":"Signup","namespace":"io.optin.test",
             "fields":[{"name":"phone","type":"string"},{"name":"locale","type":"string","default":"en"}]}""";

  /** Adds a field without a default: a new reader cannot read v1 data (not backward compatible). */
  static final String SIGNUP_V2_WITH_REQUIRED_PROGRAM =
      """
            {"type":"record","name":"Signup","namespace":"io.optin.test",
             "fields":[{"name":"phone","type":"string"},{"name":"programId","type":"string"}]}""";

  /** Another record altogether. */
  static final String CONSENT =
      """
            {"type":"record","name":"Consent","namespace":"io.optin.test",
             "fields":[{"name":"text","type":"string"}]}""";

  private TestSchemas() {}
}
