package io.acip.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.metrics.ExchangeMeters;
import io.acip.gateway.metrics.RecentRefusals;
import io.acip.node.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /status}: what the status page shows, in one JSON document: the node, its links and their RTT, sessions
 * carried, exchanges by skill at the edge and at the origins (in flight, ended, failed, mean time), the last refusals,
 * and every counter kept by dotted name.
 */
final class StatusReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    static String json(Node node, GatewayMetrics metrics) throws InterruptedException, ExecutionException,
            TimeoutException, JsonProcessingException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", node.nodeId());
        List<Map<String, Object>> links = new ArrayList<>();
        node.linkRtts().get(5, TimeUnit.SECONDS).forEach((n, rtt) -> {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("neighbour", n);
            l.put("rtt_ms", rtt < 0 ? null : rtt);
            links.add(l);
        });
        doc.put("links", links);
        doc.put("sessions", node.activeSessions().get(5, TimeUnit.SECONDS));
        doc.put("exchanges_active", metrics.exchanges().active());
        doc.put("edge_skills", skills(metrics.exchanges()::forEachEdgeSkill));
        doc.put("origin_skills", skills(metrics.exchanges()::forEachOriginSkill));
        List<Map<String, Object>> refusals = new ArrayList<>();
        for (RecentRefusals.Refusal r : metrics.exchanges().refusals().newestFirst()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", r.time().toString());
            m.put("status", r.status());
            m.put("error", r.error());
            m.put("detail", r.detail());
            m.put("identity", r.identity());
            m.put("request", r.method() + " " + r.target());
            refusals.add(m);
        }
        doc.put("refusals", refusals);
        doc.put("counters", metrics.snapshot());
        return JSON.writeValueAsString(doc);
    }

    private static List<Map<String, Object>> skills(
            java.util.function.Consumer<java.util.function.BiConsumer<String, ExchangeMeters.SkillMeters>> each) {
        List<Map<String, Object>> out = new ArrayList<>();
        each.accept((skill, m) -> {
            long count = m.count();
            if (count == 0 && m.active().get() == 0) return;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("skill", skill);
            s.put("active", m.active().get());
            s.put("count", count);
            s.put("failed", m.failed());
            s.put("mean_ms", Math.round(m.meanMs() * 100) / 100.0);
            out.add(s);
        });
        out.sort(java.util.Comparator.comparing(s -> (String) s.get("skill")));
        return out;
    }
}
