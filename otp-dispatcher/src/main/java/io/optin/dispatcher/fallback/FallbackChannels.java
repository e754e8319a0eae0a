package io.optin.dispatcher.fallback;

import static io.optin.dispatcher.DispatcherSettings.FALLBACK_CHANNELS;
import static io.optin.dispatcher.DispatcherSettings.PROGRAMS_PREFIX;

import io.optin.avro.MessageChannel;
import io.optin.kit.config.Settings;
import io.optin.kit.config.ValueType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered channels each program's codes go out by: {@code sms} first, then {@code voice} and/or
 * {@code whatsapp}, each at most once.
 *
 * <p>SMS comes first because the dispatcher issues every challenge by SMS: the challenge, its
 * window and the YES reply are SMS facts, and a call or a WhatsApp message is the fallback of an
 * SMS that did not arrive, never a replacement chosen up front.
 *
 * @param defaults the channels of {@code fallback.channels}
 * @param byProgram the channels of {@code programs.<programId>.fallback.channels}, by program id
 */
public record FallbackChannels(
    List<MessageChannel> defaults, Map<String, List<MessageChannel>> byProgram) {

  /** The key suffix of a program's own list, after {@code programs.<programId>}. */
  public static final String PROGRAM_SUFFIX = ".fallback.channels";

  /** SMS only: no fallback. */
  public static final FallbackChannels SMS_ONLY =
      new FallbackChannels(List.of(MessageChannel.SMS), Map.of());

  private static final Map<String, MessageChannel> NAMES =
      Map.of(
          "sms", MessageChannel.SMS,
          "voice", MessageChannel.VOICE,
          "whatsapp", MessageChannel.WHATSAPP);

  public FallbackChannels {
    defaults = checked(FALLBACK_CHANNELS.key(), defaults);
    Map<String, List<MessageChannel>> programs = new LinkedHashMap<>();
    Objects.requireNonNull(byProgram, "byProgram")
        .forEach(
            (program, channels) ->
                programs.put(
                    program, checked(PROGRAMS_PREFIX + program + PROGRAM_SUFFIX, channels)));
    byProgram = Map.copyOf(programs);
  }

  /**
   * The lists among {@code settings}: {@code fallback.channels} and every {@code
   * programs.<programId>.fallback.channels}.
   *
   * @throws IllegalArgumentException naming the key of a list that cannot be used, or of a {@code
   *     programs.<programId>.fallback.*} key that is not {@code .fallback.channels}
   */
  public static FallbackChannels from(Settings settings) {
    List<MessageChannel> defaults =
        parse(FALLBACK_CHANNELS.key(), settings.list(FALLBACK_CHANNELS));
    Map<String, List<MessageChannel>> byProgram = new LinkedHashMap<>();
    settings
        .family(PROGRAMS_PREFIX)
        .forEach(
            (key, text) -> {
              String rest = key.substring(PROGRAMS_PREFIX.length());
              int fallback = rest.indexOf(".fallback.");
              if (fallback < 0) {
                // programs.brands, programs.allowed: settings of their own, not of this family.
                return;
              }
              if (!rest.endsWith(PROGRAM_SUFFIX)
                  || fallback + PROGRAM_SUFFIX.length() != rest.length()) {
                throw new IllegalArgumentException(
                    key
                        + ": unknown key, expected "
                        + PROGRAMS_PREFIX
                        + "<programId>"
                        + PROGRAM_SUFFIX);
              }
              String program = rest.substring(0, fallback);
              byProgram.put(program, parse(key, ValueType.LIST.parse(text)));
            });
    return new FallbackChannels(defaults, byProgram);
  }

  /** The channels of {@code programId}, in order; SMS first. */
  public List<MessageChannel> channelsFor(String programId) {
    return byProgram.getOrDefault(programId, defaults);
  }

  /**
   * The channel to try after {@code current} failed for {@code programId}; empty when {@code
   * current} is the program's last (or not one of its channels).
   */
  public Optional<MessageChannel> after(String programId, MessageChannel current) {
    List<MessageChannel> channels = channelsFor(programId);
    int at = channels.indexOf(current);
    return at < 0 || at + 1 >= channels.size()
        ? Optional.empty()
        : Optional.of(channels.get(at + 1));
  }

  /** Whether some program, or the default, uses {@code channel}. */
  public boolean uses(MessageChannel channel) {
    return defaults.contains(channel)
        || byProgram.values().stream().anyMatch(list -> list.contains(channel));
  }

  /** Whether some program has a channel after SMS: only then is there anything to watch. */
  public boolean anyFallback() {
    return uses(MessageChannel.VOICE) || uses(MessageChannel.WHATSAPP);
  }

  /** Why {@code names} cannot be a channel list, or null (the setting's check). */
  public static String refusal(List<String> names) {
    try {
      parse(FALLBACK_CHANNELS.key(), names);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage().substring(FALLBACK_CHANNELS.key().length() + 2);
    }
  }

  /** The channels named, checked; the message starts with {@code key}. */
  static List<MessageChannel> parse(String key, List<String> names) {
    List<MessageChannel> channels = new ArrayList<>();
    for (String name : names) {
      MessageChannel channel = NAMES.get(name.strip().toLowerCase(Locale.ROOT));
      if (channel == null) {
        throw new IllegalArgumentException(
            key + ": unknown channel \"" + name.strip() + "\", expected sms, voice or whatsapp");
      }
      channels.add(channel);
    }
    return checked(key, channels);
  }

  private static List<MessageChannel> checked(String key, List<MessageChannel> channels) {
    Objects.requireNonNull(channels, key);
    if (channels.isEmpty() || channels.get(0) != MessageChannel.SMS) {
      throw new IllegalArgumentException(
          key
              + ": must start with sms, got "
              + names(channels)
              + " (every challenge is issued by SMS; voice and whatsapp are its fallbacks)");
    }
    Set<MessageChannel> seen = EnumSet.noneOf(MessageChannel.class);
    for (MessageChannel channel : channels) {
      if (channel == MessageChannel.UNKNOWN || channel == null) {
        throw new IllegalArgumentException(key + ": unknown channel " + channel);
      }
      if (!seen.add(channel)) {
        throw new IllegalArgumentException(
            key + ": " + name(channel) + " is listed twice in " + names(channels));
      }
    }
    return List.copyOf(channels);
  }

  /** The lower-case name of a channel, as in the settings. */
  public static String name(MessageChannel channel) {
    return channel.name().toLowerCase(Locale.ROOT);
  }

  private static String names(List<MessageChannel> channels) {
    return channels.isEmpty()
        ? "nothing"
        : String.join(",", channels.stream().map(FallbackChannels::name).toList());
  }
}
