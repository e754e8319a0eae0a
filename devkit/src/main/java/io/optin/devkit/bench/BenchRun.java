package io.optin.devkit.bench;

import static io.optin.dispatcher.DispatcherSettings.SMS_RATE_PER_SECOND;
import static io.optin.ingest.IngestSettings.LIMITS_COUNTRY_PER_HOUR;
import static io.optin.ingest.IngestSettings.LIMITS_IP_PER_HOUR;
import static io.optin.ingest.IngestSettings.LIMITS_PREFIX_PER_HOUR;
import static io.optin.ingest.IngestSettings.LIMITS_PUMPING_MIN_CONFIRM_PERCENT;

import io.optin.avro.SignupRequested;
import io.optin.devkit.demo.EmbeddedDemoStack;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.DurationText;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * One {@code optin bench} run: starts the embedded stack on its own Twilio sandbox (or uses a
 * running optin), drives the flows, waits for the last ones within the drain time, measures the
 * pass-through baseline on the same broker, and writes result.json and report.html.
 */
public final class BenchRun {

  /**
   * What a load test must change from the defaults, and nothing else: the velocity limits per IP,
   * prefix and country (every signup comes from one IP and a few prefixes), the SMS-pumping guard
   * (no flow is confirmed before many codes went out), and the sender's rate cap.
   */
  static final Map<String, String> LOAD_SETTINGS =
      Map.of(
          LIMITS_IP_PER_HOUR.key(), "1000000",
          LIMITS_PREFIX_PER_HOUR.key(), "1000000",
          LIMITS_COUNTRY_PER_HOUR.key(), "10000000",
          LIMITS_PUMPING_MIN_CONFIRM_PERCENT.key(), "0",
          SMS_RATE_PER_SECOND.key(), "10000");

  /** With the pipeline quiet this long after the drive, what has not completed never will. */
  static final Duration QUIET = Duration.ofSeconds(10);

  /** After the last flow completed, how long a duplicate still has to show up. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private static final Duration LOOK_EVERY = Duration.ofMillis(100);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final int WEBHOOK_THREADS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final BenchOptions options;
  private final String commandLine;
  private final PrintWriter out;

  public BenchRun(BenchOptions options, String commandLine, PrintWriter out) {
    this.options = options;
    this.commandLine = commandLine;
    this.out = out;
  }

  /** The text printed at the end of a run. */
  public static String summary(BenchResult result) {
    return SummaryText.render(result);
  }

  /** Runs the bench and writes its files; the result says whether it passed. */
  public BenchResult run() throws Exception {
    Instant startedAt = Instant.now();
    BenchOptions.Remote remote = options.remote();
    String accountSid = remote != null ? remote.accountSid() : "AC" + hex(16);
    String authToken = remote != null ? remote.authToken() : hex(16);
    TwilioSandbox sandbox =
        new TwilioSandbox(
                "127.0.0.1", remote != null ? remote.sandboxPort() : 0, accountSid, authToken)
            .threads(sandboxThreads())
            .apiAnswerDelay(options.providerLatency())
            .start();
    try {
      say(
          "optin bench: %s, signups via %s, provider latency %s, reply delay %s.",
          options.load().describe(),
          options.via().name().toLowerCase(Locale.ROOT),
          DurationText.format(options.providerLatency()),
          DurationText.format(options.replyDelay()));
      if (remote == null) {
        say("Starting the embedded stack on free ports with a fresh data directory...");
        long starting = System.nanoTime();
        try (EmbeddedDemoStack stack =
            EmbeddedDemoStack.startOn(
                sandbox, accountSid, authToken, LOAD_SETTINGS, "optin bench")) {
          say(
              "Ready in %.1f s: HTTP %s, Twilio sandbox %s, Kafka %s",
              (System.nanoTime() - starting) / 1e9,
              stack.gatewayUrl(),
              sandbox.baseUrl(),
              stack.bootstrapServers());
          return measure(
              startedAt,
              "embedded",
              stack.gatewayUrl(),
              null,
              stack.bootstrapServers(),
              stack.serdes(),
              sandbox,
              new PhoneNumbers(0));
        }
      }
      URI inbound =
          URI.create(remote.target().toString().replaceAll("/+$", "") + "/webhooks/twilio/inbound");
      sandbox.inboundWebhookUrl(inbound);
      say(
          "Twilio sandbox on %s: the running optin must have twilio.api.base.url=%s, this account"
              + " sid and auth token, and public.base.url=%s.",
          sandbox.baseUrl(), sandbox.baseUrl(), remote.target());
      AvroSerdes serdes =
          AvroSerdes.fromConfig(
              Map.of(
                  "schema.registry.url",
                  remote.registry().toString(),
                  "auto.register.schemas",
                  "false"));
      int first = RANDOM.nextInt(PhoneNumbers.CAPACITY - options.load().flows());
      return measure(
          startedAt,
          remote.target().toString(),
          remote.target(),
          remote.token(),
          remote.bootstrapServers(),
          serdes,
          sandbox,
          new PhoneNumbers(first));
    } finally {
      sandbox.close();
    }
  }

  private BenchResult measure(
      Instant startedAt,
      String target,
      URI gateway,
      String token,
      String bootstrapServers,
      AvroSerdes serdes,
      TwilioSandbox sandbox,
      PhoneNumbers numbers)
      throws Exception {
    // First, on an idle stack: after the flows, a saturated run's backlog would still be using the
    // broker and the cores.
    BenchResult.Baseline baseline = baseline(bootstrapServers);
    FlowBook book = new FlowBook();
    List<Tally.Sample> samples = new CopyOnWriteArrayList<>();
    ScheduledExecutorService meter =
        Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("optin-bench-meter"));
    ExecutorService senders =
        Executors.newFixedThreadPool(
            options.concurrency(), NamedThreads.daemons("optin-bench-signup-"));
    Tally.DrainEnd end;
    long cpuAtStart = ProcessMeter.cpuNanos();
    long cpuAtEnd;
    long driveStart = System.nanoTime();
    try (Phones phones = new Phones(sandbox, book, options.replyDelay(), WEBHOOK_THREADS);
        PipelineObserver observer = new PipelineObserver(bootstrapServers, serdes, book);
        Signups signups =
            options.via() == BenchOptions.Via.HTTP
                ? Signups.http(gateway, token)
                : Signups.kafka(bootstrapServers, serdes)) {
      meter.scheduleAtFixedRate(
          () ->
              samples.add(
                  new Tally.Sample(
                      System.nanoTime(), ProcessMeter.cpuNanos(), ProcessMeter.rssBytes())),
          0,
          1,
          TimeUnit.SECONDS);
      meter.scheduleAtFixedRate(
          () -> progress(book, driveStart),
          PROGRESS_EVERY.toMillis(),
          PROGRESS_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      say("Driving %d flows...", options.load().flows());
      new Pacer(Pacer.Ticker.SYSTEM)
          .run(
              options.load(),
              options.concurrency(),
              (index, intended, done) -> {
                Flow flow = book.add(index, numbers.of(index), intended);
                senders.execute(
                    () -> {
                      try {
                        signups.send(flow, book);
                      } finally {
                        done.run();
                      }
                    });
              });
      long driveEnd = System.nanoTime();
      say(
          "All %d signups scheduled in %.1f s; waiting up to %s for the last flows...",
          options.load().flows(),
          (driveEnd - driveStart) / 1e9,
          DurationText.format(options.drain()));
      end = drain(book, driveEnd);
      if (end == Tally.DrainEnd.ALL_COMPLETE) {
        Thread.sleep(SETTLE.toMillis());
      }
      meter.shutdownNow();
      cpuAtEnd = ProcessMeter.cpuNanos();
      samples.add(new Tally.Sample(System.nanoTime(), cpuAtEnd, ProcessMeter.rssBytes()));
      progress(book, driveStart);
      if (phones.replyFailures() > 0) {
        say("%d YES webhooks could not be posted.", phones.replyFailures());
      }
    } finally {
      meter.shutdownNow();
      senders.shutdownNow();
    }
    List<Flow.Snapshot> flows = book.flows().stream().map(Flow::snapshot).toList();
    BenchResult.Counts counts =
        Tally.counts(flows, end, book.otherSms(), book.foreignSms() + book.foreignConfirmations());
    List<LatencySummary> hops = Tally.hops(flows);
    BenchResult.Throughput throughput = Tally.throughput(flows, end, samples);
    BenchResult.Usage usage =
        usage(counts, (cpuAtEnd - cpuAtStart) / 1e9, options.remote() == null);
    BenchResult result =
        new BenchResult(
            commandLine,
            startedAt,
            target,
            optionsMap(),
            options.remote() == null ? LOAD_SETTINGS : Map.of(),
            counts,
            hops,
            throughput,
            baseline,
            usage,
            failures(counts, end));
    write(result);
    return result;
  }

  /**
   * Waits until every accepted flow completed, the pipeline went quiet, or the drain time after the
   * drive ran out.
   */
  private Tally.DrainEnd drain(FlowBook book, long driveEnd) throws InterruptedException {
    long deadline = driveEnd + options.drain().toNanos();
    while (true) {
      List<Flow> flows = book.flows();
      boolean signupsDone = true;
      boolean allComplete = true;
      for (Flow flow : flows) {
        Flow.Snapshot f = flow.snapshot();
        if (f.acceptedNanos() == 0) {
          signupsDone = false;
          allComplete = false;
          break;
        }
        if (f.accepted() && !f.complete()) {
          allComplete = false;
        }
      }
      long now = System.nanoTime();
      if (signupsDone && allComplete) {
        return Tally.DrainEnd.ALL_COMPLETE;
      }
      if (signupsDone && now - Math.max(driveEnd, book.lastProgressNanos()) > QUIET.toNanos()) {
        return Tally.DrainEnd.QUIET;
      }
      if (now > deadline) {
        return Tally.DrainEnd.DEADLINE;
      }
      Thread.sleep(LOOK_EVERY.toMillis());
    }
  }

  private BenchResult.Baseline baseline(String bootstrapServers) {
    if (options.baselineRecords() == 0) {
      return null;
    }
    int recordBytes =
        wireSize(Signups.signup("+14155550100", UUID.randomUUID().toString(), Instant.now()));
    say(
        "Pass-through baseline: %d records of %d bytes through an exactly_once_v2 topology...",
        options.baselineRecords(), recordBytes);
    try {
      return PassThroughBaseline.run(
          bootstrapServers, Topics.SIGNUP_REQUESTS.name(), options.baselineRecords(), recordBytes);
    } catch (Exception e) {
      say("The pass-through baseline failed: %s", e);
      return null;
    }
  }

  /**
   * @param cpuSeconds CPU time of the process from the first signup to the end of the drain
   */
  /**
   * Bytes of a record in the Confluent wire format: a magic byte and a 4-byte schema id, then its
   * Avro binary encoding. Computed here, since a running optin's registry may not know the schema
   * yet.
   */
  static int wireSize(SignupRequested record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    try {
      new SpecificDatumWriter<>(SignupRequested.class).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 5 + bytes.size();
  }

  private static BenchResult.Usage usage(
      BenchResult.Counts counts, double cpuSeconds, boolean includesOptin) {
    return new BenchResult.Usage(
        cpuSeconds,
        counts.complete() == 0 ? 0 : cpuSeconds * 1000 / counts.complete(),
        ProcessMeter.rssBytes() / 1048576.0,
        ProcessMeter.peakRssBytes() / 1048576.0,
        Runtime.getRuntime().availableProcessors(),
        includesOptin);
  }

  static List<String> failures(BenchResult.Counts c, Tally.DrainEnd end) {
    List<String> failures = new ArrayList<>();
    if (c.lost() > 0) {
      failures.add(
          c.lost()
              + " flows lost: accepted, never completed, and the pipeline had gone quiet ("
              + describeStuck(c)
              + ")");
    }
    if (c.duplicateConfirmations() > 0) {
      failures.add(c.duplicateConfirmations() + " duplicate confirmations");
    }
    if (c.duplicateSms() > 0) {
      failures.add(c.duplicateSms() + " duplicate code SMS at the provider");
    }
    if (c.duplicateLedger() > 0) {
      failures.add(c.duplicateLedger() + " duplicate CONFIRMED records in the ledger");
    }
    if (c.refused() > 0) {
      List<String> reasons = new ArrayList<>();
      c.refusedBy().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> reasons.add(e.getValue() + " " + e.getKey()));
      failures.add(
          c.refused() + " signups refused or unanswered (" + String.join(", ", reasons) + ")");
    }
    if (c.unfinished() > 0) {
      failures.add(
          c.unfinished()
              + " flows unfinished when the drain time ran out while the pipeline was still"
              + " working (a backlog: optin was saturated) ("
              + describeStuck(c)
              + ")");
    }
    return failures;
  }

  private static String describeStuck(BenchResult.Counts c) {
    List<String> parts = new ArrayList<>();
    c.stuck().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> parts.add(e.getValue() + " " + e.getKey()));
    return String.join(", ", parts);
  }

  private Map<String, Object> optionsMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    if (options.load() instanceof BenchOptions.OpenLoop open) {
      map.put("rate", open.rate());
      map.put("duration", DurationText.format(open.duration()));
    } else {
      map.put("flows", options.load().flows());
    }
    map.put("providerLatency", DurationText.format(options.providerLatency()));
    map.put("replyDelay", DurationText.format(options.replyDelay()));
    map.put("via", options.via().name().toLowerCase(Locale.ROOT));
    map.put("concurrency", options.concurrency());
    map.put("drain", DurationText.format(options.drain()));
    map.put("baselineRecords", options.baselineRecords());
    return map;
  }

  private void write(BenchResult result) throws IOException {
    Path dir = options.out();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("result.json"), ResultJson.write(result), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("report.html"), HtmlReport.render(result), StandardCharsets.UTF_8);
  }

  /** Enough sandbox threads for the answers a slow provider holds at the expected rate. */
  private int sandboxThreads() {
    double rate = options.load() instanceof BenchOptions.OpenLoop open ? open.rate() : 1_000;
    double held = rate * options.providerLatency().toNanos() / 1e9;
    // Never fewer than the sender's default requests in flight, so an instant provider is not
    // throttled by the sandbox's own threads.
    return (int) Math.min(2_000, Math.max(528, Math.ceil(held * 1.5) + 32));
  }

  private void progress(FlowBook book, long driveStart) {
    int sent = 0;
    int accepted = 0;
    int sms = 0;
    int confirmed = 0;
    int complete = 0;
    for (Flow flow : book.flows()) {
      Flow.Snapshot f = flow.snapshot();
      sent += f.acceptedNanos() != 0 ? 1 : 0;
      accepted += f.accepted() ? 1 : 0;
      sms += f.codeSms() > 0 ? 1 : 0;
      confirmed += f.confirmations() > 0 ? 1 : 0;
      complete += f.complete() ? 1 : 0;
    }
    say(
        "%6.1f s  signups answered %d  accepted %d  SMS %d  confirmed %d  complete %d",
        (System.nanoTime() - driveStart) / 1e9, sent, accepted, sms, confirmed, complete);
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.println(String.format(Locale.ROOT, format, args));
      out.flush();
    }
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
