package io.optin.devkit.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Twilio's Messages list ({@code GET …/Messages.json}): filtered by {@code To}, {@code From} and
 * {@code DateSent} (exact, {@code DateSent<} on or before, {@code DateSent>} on or after; a day
 * {@code YYYY-MM-DD} or a UTC time), newest first, in pages ({@code Page}, {@code PageSize}) linked
 * by {@code next_page_uri}, as twilio-java's reader reads them. Like Twilio, a message not sent yet
 * (queued, accepted) has no date sent and escapes every {@code DateSent} filter.
 */
final class MessageList {

  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;
  private static final List<String> FILTERS =
      List.of("To", "From", "DateSent", "DateSent<", "DateSent>");

  private MessageList() {}

  /**
   * The page the query asks for.
   *
   * @throws IllegalArgumentException when a filter or the paging is malformed
   */
  static Map<String, Object> page(
      String accountSid, List<SandboxMessage> messages, Map<String, String> query) {
    Predicate<SandboxMessage> filter = filter(query);
    int pageSize = intParam(query, "PageSize", DEFAULT_PAGE_SIZE);
    int page = intParam(query, "Page", 0);
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE || page < 0) {
      throw new IllegalArgumentException("PageSize must be 1 to 1000 and Page 0 or more");
    }
    List<SandboxMessage> matching =
        messages.stream()
            .filter(filter)
            .sorted(Comparator.comparing(SandboxMessage::dateCreated).reversed())
            .toList();
    int from = (int) Math.min((long) page * pageSize, matching.size());
    int to = Math.min(from + pageSize, matching.size());
    String path = "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("first_page_uri", uri(path, query, 0, pageSize));
    json.put("end", Math.max(from, to - 1));
    json.put(
        "messages",
        matching.subList(from, to).stream().map(MessageJson::of).collect(Collectors.toList()));
    json.put("next_page_uri", to < matching.size() ? uri(path, query, page + 1, pageSize) : null);
    json.put("page", page);
    json.put("page_size", pageSize);
    json.put("previous_page_uri", page > 0 ? uri(path, query, page - 1, pageSize) : null);
    json.put("start", from);
    json.put("uri", uri(path, query, page, pageSize));
    return json;
  }

  private static Predicate<SandboxMessage> filter(Map<String, String> query) {
    List<Predicate<SandboxMessage>> all = new ArrayList<>();
    String to = query.get("To");
    if (to != null) {
      all.add(m -> to.equals(m.to()));
    }
    String from = query.get("From");
    if (from != null) {
      all.add(m -> from.equals(m.from()));
    }
    dateFilter(query.get("DateSent"), 0).ifPresent(all::add);
    dateFilter(query.get("DateSent<"), -1).ifPresent(all::add);
    dateFilter(query.get("DateSent>"), 1).ifPresent(all::add);
    return m -> all.stream().allMatch(p -> p.test(m));
  }

  /** {@code direction} 0: on that day (or second); -1: on or before; 1: on or after. */
  private static java.util.Optional<Predicate<SandboxMessage>> dateFilter(
      String value, int direction) {
    if (value == null) {
      return java.util.Optional.empty();
    }
    Instant start;
    Instant end;
    try {
      if (value.length() == 10) {
        start = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        end = start.plus(Duration.ofDays(1));
      } else {
        // twilio-java sends a UTC time without its zone (2026-03-01T00:00:00).
        start =
            (value.endsWith("Z")
                    ? Instant.parse(value)
                    : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC))
                .truncatedTo(ChronoUnit.SECONDS);
        end = start.plusSeconds(1);
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("DateSent must be YYYY-MM-DD or a UTC time: " + value);
    }
    return java.util.Optional.of(
        m -> {
          Instant sent = dateSent(m);
          if (sent == null) {
            return false;
          }
          boolean onOrAfter = !sent.isBefore(start);
          boolean beforeEnd = sent.isBefore(end);
          return direction == 0 ? onOrAfter && beforeEnd : direction < 0 ? beforeEnd : onOrAfter;
        });
  }

  /** As {@link MessageJson} shows it: none until the message has left the queue. */
  private static Instant dateSent(SandboxMessage message) {
    return message.status().equals("queued") || message.status().equals("accepted")
        ? null
        : message.dateUpdated();
  }

  private static int intParam(Map<String, String> query, String name, int otherwise) {
    String value = query.get(name);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number: " + value);
    }
  }

  private static String uri(String path, Map<String, String> query, int page, int pageSize) {
    StringBuilder uri = new StringBuilder(path).append('?');
    for (String name : FILTERS) {
      String value = query.get(name);
      if (value != null) {
        uri.append(encode(name)).append('=').append(encode(value)).append('&');
      }
    }
    return uri.append("PageSize=").append(pageSize).append("&Page=").append(page).toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
