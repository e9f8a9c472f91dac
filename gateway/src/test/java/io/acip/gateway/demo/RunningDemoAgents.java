package io.acip.gateway.demo;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The demo agents on an ephemeral loopback port, started once per test class, with a client for them. */
abstract class RunningDemoAgents {
    static DemoAgents agents;
    static DemoClient client;

    @BeforeAll
    static void start() throws Exception {
        agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        client = new DemoClient(agents.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        agents.close();
    }
}
