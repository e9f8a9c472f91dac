package io.acip.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code routes}: List the node's routes, every candidate (GET /routes). */
@Command(name = "routes", mixinStandardHelpOptions = true, description = "List the node's routes, every candidate (GET /routes).")
final class RoutesCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Override
    public Integer call() {
        return admin.print("GET", "/routes");
    }
}
