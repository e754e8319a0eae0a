package io.optin.kit.http;

import com.sun.net.httpserver.HttpHandler;

/**
 * A path prefix and its handler. Each service contributes routes; the app mounts them all on one
 * port (docs/running.md), so services never own an HTTP server of their own.
 */
public record HttpRoute(String pathPrefix, HttpHandler handler) {}
