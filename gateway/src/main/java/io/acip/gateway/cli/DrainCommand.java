package io.acip.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code drain}: Drain and stop the node, as SIGTERM does (POST /drain). */
@Command(name = "drain", mixinStandardHelpOptions = true, description = "Drain and stop the node, as SIGTERM does (POST /drain).")
final class DrainCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Override
    public Integer call() {
        return admin.print("POST", "/drain");
    }
}
