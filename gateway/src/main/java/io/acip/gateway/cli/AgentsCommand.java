package io.acip.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code agents}: List the agents attached to the node and their skills (GET /agents). */
@Command(name = "agents", mixinStandardHelpOptions = true, description = "List the agents attached to the node and their skills (GET /agents).")
final class AgentsCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Override
    public Integer call() {
        return admin.print("GET", "/agents");
    }
}
