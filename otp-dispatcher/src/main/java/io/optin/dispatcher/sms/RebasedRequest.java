package io.optin.dispatcher.sms;

import com.twilio.http.Request;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Copies a twilio-java {@link Request} onto another base URL, keeping everything the SDK would
 * send.
 *
 * <p>twilio-java has no base-URL setting ({@code region}/{@code edge} only build {@code
 * *.twilio.com} hosts), so the request is rebuilt here: method, path, query and form parameters,
 * headers and the basic-auth pair. The username/password must be copied as such: copying only the
 * auth strategy sends no Authorization header.
 */
final class RebasedRequest {

  private RebasedRequest() {}

  static Request onto(URI baseUrl, Request original) {
    Request copy =
        new VerbatimUrlRequest(
            original, baseUrl.toString().replaceAll("/+$", "") + pathOf(original));
    copyAll(original.getQueryParams(), copy::addQueryParam);
    copyAll(original.getPostParams(), copy::addPostParam);
    copyAll(original.getHeaderParams(), copy::addHeaderParam);
    copy.setFormParameters(original.getFormParameters());
    copy.setContentType(original.getContentType());
    copy.setBody(original.getBody());
    copy.setUserAgentExtensions(original.getUserAgentExtensions());
    if (original.getUsername() != null && original.getPassword() != null) {
      copy.setAuth(original.getUsername(), original.getPassword());
    }
    if (original.getAuthStrategy() != null) {
      copy.setAuth(original.getAuthStrategy());
    }
    return copy;
  }

  private static String pathOf(Request original) {
    // A next-page request carries its query in the URL itself (Page=1&PageToken=…), not as params.
    URI url = URI.create(original.getUrl());
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  private static void copyAll(Map<String, List<String>> from, ParamSink to) {
    from.forEach((name, values) -> values.forEach(value -> to.add(name, value)));
  }

  @FunctionalInterface
  private interface ParamSink {
    void add(String name, String value);
  }

  /**
   * The SDK rewrites the host of every URL it sends, taking labels as product/edge/region parts: a
   * host of more than five labels would lose some. The base URL is ours, so it is used exactly as
   * configured.
   */
  private static final class VerbatimUrlRequest extends Request {

    VerbatimUrlRequest(Request original, String url) {
      super(original.getMethod(), url);
    }

    @Override
    protected String buildURL() {
      return url;
    }
  }
}
