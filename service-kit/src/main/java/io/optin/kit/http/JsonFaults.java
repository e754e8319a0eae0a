package io.optin.kit.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Optional;

/**
 * Says in plain words why a JSON text was refused, with its line and column: an answer never
 * carries Jackson's own message, which names classes, features and read constraints.
 */
public final class JsonFaults {

  /** Reads without constraints beyond Jackson's defaults and without duplicate detection. */
  private static final JsonFactory PLAIN = new JsonFactory();

  private JsonFaults() {}

  /**
   * Why Jackson refused {@code json}, e.g. {@code content after the JSON value at line 1, column 4}
   * or {@code nested too deeply}.
   */
  public static String describe(byte[] json, JacksonException e) {
    return reason(json, e) + where(e.getLocation());
  }

  /** The first Jackson exception in {@code failure}'s causes (itself included), if any. */
  public static Optional<JacksonException> jacksonCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JacksonException jackson) {
        return Optional.of(jackson);
      }
    }
    return Optional.empty();
  }

  private static String reason(byte[] json, JacksonException e) {
    // Jackson has one exception type per family of faults; within a family only its message
    // tells them apart, so an unknown message falls back to the family's plain reason.
    String message = String.valueOf(e.getOriginalMessage());
    if (e instanceof StreamConstraintsException) {
      if (message.startsWith("Document nesting depth")) {
        return "nested too deeply";
      }
      if (message.startsWith("Number value length")) {
        return "a number is too long";
      }
      if (message.startsWith("String value length")) {
        return "a string is too long";
      }
      if (message.startsWith("Name length")) {
        return "a key is too long";
      }
      return "the document is too large";
    }
    if (e instanceof InputCoercionException) {
      return "a number is out of range";
    }
    if (e instanceof JsonEOFException) {
      return "it ends before the JSON value is complete";
    }
    if (e instanceof JsonParseException) {
      if (message.startsWith("Duplicate field")) {
        return "a key is given twice";
      }
      if (message.startsWith("Invalid UTF-8") || message.startsWith("Invalid UTF-32")) {
        return "not valid UTF-8";
      }
      if (message.startsWith("Illegal unquoted character")) {
        return "a control character in a string is not escaped";
      }
      if (message.startsWith("Unrecognized character escape")) {
        return "a string holds an invalid escape";
      }
      if (message.startsWith("Invalid numeric value") || message.startsWith("Non-standard token")) {
        return "a number is malformed";
      }
    }
    // Checked last: the first value reads well without duplicate detection or Jackson's own
    // checks above, which are faults inside a value.
    if (message.startsWith("Trailing token") || startsWithAWholeValue(json)) {
      return "content after the JSON value";
    }
    if (e instanceof MismatchedInputException) {
      return "not the expected JSON value";
    }
    return "unexpected content";
  }

  /**
   * Whether {@code json} starts with a whole, well-formed value: then the fault is in what follows
   * it. Jackson reports such content as an unexpected token, or not at all once the parser is
   * closed, so the text is read again up to the end of its first value.
   */
  private static boolean startsWithAWholeValue(byte[] json) {
    try (JsonParser parser = PLAIN.createParser(json)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
