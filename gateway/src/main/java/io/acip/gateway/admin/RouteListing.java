package io.acip.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.control.RouteView;
import io.acip.node.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /routes}: every candidate of every route as JSON: its source ({@code static}, {@code local} for an
 * attached instance, {@code learned} from a neighbour), next hop, path, attributes and metrics, priority, and whether
 * it is among the best (docs/acip-v0.md §12.4). Also the neighbours the node exchanges routes with.
 */
final class RouteListing {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteListing() {
    }

    static String json(Node node) throws InterruptedException, ExecutionException, TimeoutException,
            JsonProcessingException {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (RouteView v : node.control().routes().get(5, TimeUnit.SECONDS)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("tenant", v.tenant());
            r.put("prefix", v.prefix());
            r.put("source", v.source());
            r.put("next_hop", v.nextHop());
            r.put("path", v.path());
            r.put("region", v.region());
            r.put("attributes", v.attributes());
            r.put("load", v.load() < 0 ? null : v.load());
            r.put("latency_ms", v.latencyMs() < 0 ? null : v.latencyMs());
            r.put("priority", v.priority());
            r.put("best", v.best());
            r.put("advertised", v.advertised());
            routes.add(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node.nodeId());
        out.put("exchanging_with", node.control().neighbours().get(5, TimeUnit.SECONDS));
        out.put("routes", routes);
        return JSON.writeValueAsString(out);
    }
}
