package io.optin.devkit.registry;

/** An answer of the registry: HTTP status and JSON body. */
record RegistryResponse(int status, String json) {

  static RegistryResponse ok(String json) {
    return new RegistryResponse(200, json);
  }
}
