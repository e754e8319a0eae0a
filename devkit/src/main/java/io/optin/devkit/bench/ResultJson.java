package io.optin.devkit.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * result.json: every figure of a run, latencies in milliseconds, rates per second. The field names
 * are documented in docs/bench.md; a field is added, never renamed, so scripts comparing runs keep
 * working.
 */
final class ResultJson {

  static final int FORMAT = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  static String write(BenchResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("command", r.command());
    root.put("startedAt", r.startedAt().toString());
    root.put("target", r.target());
    root.put("passed", r.passed());
    ArrayNode failures = root.putArray("failures");
    r.failures().forEach(failures::add);
    root.set("options", JSON.valueToTree(new TreeMap<>(r.options())));
    root.set("settings", JSON.valueToTree(new TreeMap<>(r.settings())));

    BenchResult.Counts c = r.counts();
    ObjectNode flows = root.putObject("flows");
    flows.put("started", c.flows());
    flows.put("accepted", c.accepted());
    flows.put("refused", c.refused());
    flows.put("smsAtProvider", c.sms());
    flows.put("yesAnswered", c.answered());
    flows.put("confirmed", c.confirmed());
    flows.put("complete", c.complete());
    flows.put("unfinished", c.unfinished());
    flows.put("lost", c.lost());
    ObjectNode stuck = flows.putObject("stuckAt");
    new TreeMap<>(c.stuck()).forEach(stuck::put);
    ObjectNode refusedBy = flows.putObject("refusedBy");
    new TreeMap<>(c.refusedBy()).forEach(refusedBy::put);
    ObjectNode duplicates = root.putObject("duplicates");
    duplicates.put("confirmations", c.duplicateConfirmations());
    duplicates.put("sms", c.duplicateSms());
    duplicates.put("ledger", c.duplicateLedger());
    ObjectNode other = root.putObject("other");
    other.put("smsWithoutCode", c.otherSms());
    other.put("foreign", c.foreign());

    ArrayNode hops = root.putArray("hops");
    for (LatencySummary hop : r.hops()) {
      ObjectNode h = hops.addObject();
      h.put("id", hop.id());
      h.put("label", hop.label());
      h.put("count", hop.count());
      h.put("p50", hop.p50());
      h.put("p95", hop.p95());
      h.put("p99", hop.p99());
      h.put("p999", hop.p999());
      h.put("max", hop.max());
      h.put("mean", hop.mean());
      ArrayNode curve = h.putArray("distribution");
      for (LatencySummary.Point point : hop.distribution()) {
        curve.addArray().add(point.percentile()).add(point.millis());
      }
    }

    BenchResult.Throughput t = r.throughput();
    ObjectNode throughput = root.putObject("throughput");
    throughput.put("driveSeconds", t.driveSeconds());
    throughput.put("completionSeconds", t.completionSeconds());
    throughput.put("offeredPerSecond", t.offeredPerSecond());
    throughput.put("completeFlowsPerSecond", t.completeFlowsPerSecond());
    throughput.put("drainEnd", t.drainEnd());
    ArrayNode timeline = throughput.putArray("timeline");
    for (BenchResult.Second s : t.timeline()) {
      ObjectNode second = timeline.addObject();
      second.put("second", s.second());
      second.put("sent", s.sent());
      second.put("accepted", s.accepted());
      second.put("sms", s.sms());
      second.put("confirmed", s.confirmed());
      second.put("complete", s.complete());
      second.put("cpuPercent", s.cpuPercent());
      second.put("rssMiB", s.rssMiB());
    }

    if (r.baseline() == null) {
      root.putNull("baseline");
      root.putNull("ratio");
    } else {
      BenchResult.Baseline b = r.baseline();
      ObjectNode baseline = root.putObject("baseline");
      baseline.put("topology", "exactly_once_v2 pass-through");
      baseline.put("inputTopic", b.inputTopic());
      baseline.put("partitions", b.partitions());
      baseline.put("records", b.records());
      baseline.put("recordBytes", b.recordBytes());
      baseline.put("seconds", b.seconds());
      baseline.put("recordsPerSecond", b.recordsPerSecond());
      root.put("ratio", r.ratio());
    }

    BenchResult.Usage u = r.process();
    ObjectNode process = root.putObject("process");
    process.put("cpuSeconds", u.cpuSeconds());
    process.put("cpuSecondsPerThousandFlows", u.cpuSecondsPerThousandFlows());
    process.put("rssMiB", u.rssMiB());
    process.put("peakRssMiB", u.peakRssMiB());
    process.put("cpus", u.cpus());
    process.put("includesOptin", u.includesOptin());
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the result", e);
    }
  }

  static Map<String, Object> read(String json) throws JsonProcessingException {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = JSON.readValue(json, Map.class);
    return tree;
  }
}
