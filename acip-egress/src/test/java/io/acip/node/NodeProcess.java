package io.acip.node;

import io.acip.routing.NextHop;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node in a process of its own, for tests that run the fabric as separate processes. Arguments:
 * {@code ca=DIR id=ID [neighbour=ID@HOST:PORT]... [route=PREFIX>NODE]... [serve=SKILL]... [await=ID]...}.
 * Prints {@code PORT n} once listening and {@code READY} once linked to every awaited neighbour; exits when stdin
 * closes.
 */
public final class NodeProcess {
    public static void main(String[] args) throws Exception {
        String ca = null;
        String id = null;
        List<NodeConfig.Neighbour> neighbours = new ArrayList<>();
        List<String[]> routes = new ArrayList<>();
        List<String> serve = new ArrayList<>();
        List<String> await = new ArrayList<>();
        for (String a : args) {
            String k = a.substring(0, a.indexOf('='));
            String v = a.substring(a.indexOf('=') + 1);
            switch (k) {
                case "ca" -> ca = v;
                case "id" -> id = v;
                case "neighbour" -> {
                    String[] p = v.split("@");
                    int colon = p[1].lastIndexOf(':');
                    neighbours.add(new NodeConfig.Neighbour(p[0], new InetSocketAddress(p[1].substring(0, colon),
                            Integer.parseInt(p[1].substring(colon + 1)))));
                }
                case "route" -> routes.add(v.split(">"));
                case "serve" -> serve.add(v);
                case "await" -> await.add(v);
                default -> throw new IllegalArgumentException(a);
            }
        }
        FabricCa fabricCa = FabricCa.load(Path.of(ca));
        IssuedIdentity identity = fabricCa.issueNode(id, Duration.ofDays(1));
        try (Node node = Node.start(NodeConfig.defaults(id, new InetSocketAddress("127.0.0.1", 0), identity,
                fabricCa.certificate(), neighbours))) {
            for (String[] r : routes) {
                node.addRoute(0, new SkillName(r[0]), new NextHop.Neighbour(r[1], 0, 1, "", Map.of()));
            }
            for (String skill : serve) {
                IssuedIdentity s = fabricCa.issueSkill(skill, Duration.ofDays(1));
                node.attach(0, new SkillName(skill), LocalInstance.of(id + "-" + skill,
                        new SkillIdentity(s.privateKey(), s.certificate()), Echo.SKILL));
            }
            System.out.println("PORT " + node.linkAddress().getPort());
            for (String peer : await) node.linkReady(peer).get(30, TimeUnit.SECONDS);
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin
            }
        }
    }
}
