package io.optin.dispatcher.sms;

import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client under twilio-java: exactly one HTTP request per SDK call, with our timeouts,
 * optionally sent to another base URL.
 *
 * <p>Out of the box one {@code create()} against a server answering 503 sends six POSTs: the SDK
 * retries 5xx and the Apache client retries again. Resending an SMS is a business decision
 * (duplicates reach a person's phone), so both layers are off here and {@link RetryingSmsGateway}
 * owns the policy.
 */
final class SingleAttemptHttpClient extends NetworkHttpClient implements Closeable {

  /**
   * One connection per provider request in flight: as many as the largest {@code
   * sms.max.concurrency}, or requests would queue for a connection inside the client.
   */
  static final int MAX_CONNECTIONS = 1024;

  private final URI baseUrl;

  SingleAttemptHttpClient(URI baseUrl, Duration connectTimeout, Duration readTimeout) {
    super(apacheClient(connectTimeout, readTimeout));
    this.baseUrl = baseUrl;
  }

  private static HttpClientBuilder apacheClient(Duration connectTimeout, Duration readTimeout) {
    Timeout connect = Timeout.of(connectTimeout);
    Timeout read = Timeout.of(readTimeout);
    RequestConfig requestConfig =
        RequestConfig.custom()
            .setConnectionRequestTimeout(connect)
            .setResponseTimeout(read)
            .build();
    return HttpClientBuilder.create()
        .disableAutomaticRetries()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read)
                        .build())
                .setDefaultSocketConfig(
                    SocketConfig.custom().setSoTimeout(read).setSoKeepAlive(true).build())
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .build())
        .setDefaultRequestConfig(requestConfig)
        // NetworkHttpClient stamps its own RequestConfig (30.5 s connect timeout) on every request,
        // and a
        // request's config beats the client default: put ours back in front of the exec chain.
        .addExecInterceptorFirst(
            "optin-timeouts",
            (request, scope, chain) -> {
              scope.clientContext.setRequestConfig(requestConfig);
              return chain.proceed(request, scope);
            });
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response reliableRequest(
      Request request, int[] retryCodes, int retries, long delayMillis) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    Response response =
        super.makeRequest(baseUrl == null ? request : RebasedRequest.onto(baseUrl, request));
    return withKnownStatus(response);
  }

  /**
   * An error answer without Twilio's JSON body (a proxy's 502 page, an empty 503) makes the SDK
   * throw an exception that has lost the HTTP status; keep the status, it decides whether a retry
   * makes sense.
   */
  private static Response withKnownStatus(Response response) {
    int status = response.getStatusCode();
    if (status < 400) {
      return response;
    }
    String content = response.getContent();
    if (content == null || !content.stripLeading().startsWith("{")) {
      throw new ApiException(
          "HTTP " + status + " without a Twilio error body",
          null,
          null,
          status,
          status,
          null,
          null,
          null);
    }
    return new Response(content, status, response.getHeaders());
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
