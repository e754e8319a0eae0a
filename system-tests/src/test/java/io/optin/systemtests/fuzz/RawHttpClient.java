package io.optin.systemtests.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends raw bytes on a fresh loopback socket and reads one whole HTTP answer: a request either gets
 * a complete response (status line, headers, the body its framing announces) or is recorded as
 * dropped, with why (closed, reset, timed out, not HTTP).
 */
final class RawHttpClient implements AutoCloseable {

  /** Bodies larger than this are written by another thread while the answer is read. */
  private static final int WRITE_ALONGSIDE = 32 * 1024;

  private final Duration timeout;
  private final ExecutorService writers =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "fuzz-writer");
            thread.setDaemon(true);
            return thread;
          });

  RawHttpClient(Duration timeout) {
    this.timeout = timeout;
  }

  /** The answer to {@code request}: status and body, or dropped. */
  Answer send(int port, byte[] request) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      if (request.length > WRITE_ALONGSIDE) {
        // A server may answer (413) and close before taking the whole body: read meanwhile, so
        // the answer is not lost to a reset.
        writers.execute(
            () -> {
              try {
                out.write(request);
                out.flush();
              } catch (IOException ignored) {
                // the server stopped reading: its answer, if any, is what counts
              }
            });
      } else {
        out.write(request);
        out.flush();
      }
      return read(socket.getInputStream(), start);
    } catch (SocketTimeoutException e) {
      return Answer.dropped("no complete answer within " + timeout.toMillis() + " ms", start);
    } catch (IOException e) {
      return Answer.dropped(e.getClass().getSimpleName() + ": " + e.getMessage(), start);
    }
  }

  private static Answer read(InputStream in, long start) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    int offset = 0;
    while (true) {
      Answer answer = complete(received.toByteArray(), offset, start);
      if (answer != null) {
        if (answer.status() >= 200 || answer.status() < 100) {
          return answer;
        }
        offset = answer.consumed(); // 1xx: the final answer follows
        continue;
      }
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        return Answer.dropped(
            describe(e) + " after " + (received.size() - offset) + " bytes of answer", start);
      }
      if (n < 0) {
        Answer last = completeAtEof(received.toByteArray(), offset, start);
        return last != null
            ? last
            : Answer.dropped(
                "closed after " + (received.size() - offset) + " bytes of answer", start);
      }
      received.write(buffer, 0, n);
    }
  }

  private static String describe(IOException e) {
    return e instanceof SocketTimeoutException
        ? "timed out"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** The answer at {@code offset} if it is complete, else null. */
  private static Answer complete(byte[] data, int offset, long start) {
    int headEnd = indexOf(data, offset, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (headEnd < 0) {
      return null;
    }
    String head = new String(data, offset, headEnd - offset, StandardCharsets.ISO_8859_1);
    int status = status(head);
    if (status < 0) {
      return Answer.notHttp(head, start);
    }
    int bodyStart = headEnd + 4;
    if (status < 200 || status == 204 || status == 304) {
      return new Answer(status, "", false, null, bodyStart, elapsed(start));
    }
    String lower = head.toLowerCase(Locale.ROOT);
    long length = contentLength(lower);
    if (length >= 0) {
      if (data.length - bodyStart < length) {
        return null;
      }
      return new Answer(
          status,
          new String(data, bodyStart, (int) length, StandardCharsets.UTF_8),
          false,
          null,
          bodyStart + (int) length,
          elapsed(start));
    }
    if (lower.contains("\r\ntransfer-encoding: chunked")) {
      return dechunk(data, bodyStart, status, start);
    }
    return null; // delimited by the end of the connection
  }

  /** At the end of the stream, an answer delimited by it is complete. */
  private static Answer completeAtEof(byte[] data, int offset, long start) {
    Answer answer = complete(data, offset, start);
    if (answer != null) {
      return answer;
    }
    int headEnd = indexOf(data, offset, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (headEnd < 0) {
      return null;
    }
    String head = new String(data, offset, headEnd - offset, StandardCharsets.ISO_8859_1);
    String lower = head.toLowerCase(Locale.ROOT);
    if (status(head) < 0
        || contentLength(lower) >= 0
        || lower.contains("\r\ntransfer-encoding: chunked")) {
      return null; // announced more than it sent
    }
    return new Answer(
        status(head),
        new String(data, headEnd + 4, data.length - headEnd - 4, StandardCharsets.UTF_8),
        false,
        null,
        data.length,
        elapsed(start));
  }

  private static Answer dechunk(byte[] data, int from, int status, long start) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = from;
    while (true) {
      int lineEnd = indexOf(data, at, new byte[] {'\r', '\n'});
      if (lineEnd < 0) {
        return null;
      }
      String sizeText = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int semicolon = sizeText.indexOf(';');
      int size;
      try {
        size =
            Integer.parseInt(
                (semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        return Answer.notHttp("bad chunk size " + sizeText, start);
      }
      at = lineEnd + 2;
      if (size == 0) {
        int end = indexOf(data, at - 2, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
          return null;
        }
        return new Answer(
            status, body.toString(StandardCharsets.UTF_8), false, null, end + 4, elapsed(start));
      }
      if (data.length < at + size + 2) {
        return null;
      }
      body.write(data, at, size);
      at += size + 2;
    }
  }

  private static int status(String head) {
    if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
      return -1;
    }
    try {
      return Integer.parseInt(head.substring(9, 12));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long contentLength(String lowerHead) {
    int at = lowerHead.indexOf("\r\ncontent-length:");
    if (at < 0) {
      return -1;
    }
    int end = lowerHead.indexOf("\r\n", at + 2);
    String value = lowerHead.substring(at + 17, end < 0 ? lowerHead.length() : end).trim();
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int indexOf(byte[] data, int from, byte[] needle) {
    outer:
    for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }

  /**
   * What came back: a status and body, or a dropped connection and why.
   *
   * @param consumed bytes of the stream this answer took (to find a final answer after a 1xx)
   */
  record Answer(
      int status, String body, boolean dropped, String problem, int consumed, long millis) {

    static Answer dropped(String why, long start) {
      return new Answer(-1, "", true, why, 0, elapsed(start));
    }

    static Answer notHttp(String head, long start) {
      String shown = head.length() > 60 ? head.substring(0, 60) + "..." : head;
      return new Answer(-1, "", true, "not an HTTP answer: " + shown, 0, elapsed(start));
    }
  }
}
