package io.acip.gateway.cli;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code check-config FILE}: the checks a start makes on the document, and nothing started (like {@code nginx -t}). */
@Command(name = "check-config", mixinStandardHelpOptions = true, description = "Check a configuration file as a "
        + "start would, starting nothing: exit 0, or 2 with the path of the offending field.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the YAML configuration")
    Path file;

    @Override
    public Integer call() {
        try {
            Gateway.load(file);
        } catch (ConfigException e) {
            System.err.println(file + ": refused: " + e.getMessage());
            return AcipGateway.REFUSED;
        }
        System.out.println(file + ": ok");
        return AcipGateway.OK;
    }
}
