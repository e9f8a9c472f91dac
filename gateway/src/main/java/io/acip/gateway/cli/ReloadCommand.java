package io.acip.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reload}: the node reads its configuration file again (POST /reload), as on SIGHUP. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Make the node read its configuration file "
        + "again, as SIGHUP does (POST /reload); a refused file is reported and the running configuration stays.")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Override
    public Integer call() {
        return admin.print("POST", "/reload");
    }
}
