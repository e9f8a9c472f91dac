package io.acip.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code acip-gateway} command. Alone it runs the demo fabric on loopback; {@code --config FILE} (or
 * {@code run --config FILE}) runs one node. Exit codes: 0 done, 1 failed (a node that could not start, an admin
 * listener that refused or could not be reached), 2 refused before anything ran (bad arguments, a configuration with
 * the path of its bad field).
 */
@Command(name = "acip-gateway", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "An ACIP node: edge gateway, transit router or far gateway (docs/operations.md).%n"
                + "Without a command: the demo fabric on loopback (edge on 127.0.0.1:8080 and :8443, admin on :9901).",
        subcommands = {RunCommand.class, CheckConfigCommand.class, CaCommand.class, RoutesCommand.class,
                AgentsCommand.class, DrainCommand.class, ReloadCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (a node that could not start, an admin listener that refused or could not "
                + "be reached)", "2:refused before anything ran (bad arguments, or a configuration: the path of its bad "
                + "field is printed)"})
public final class AcipGateway implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;

    @Option(names = "--config", paramLabel = "FILE", description = "run one node from this file (as `run --config`)")
    Path config;

    @Override
    public Integer call() throws Exception {
        return config != null ? RunCommand.run(config) : RunCommand.demo();
    }

    /** Parses {@code args} and runs what they name; returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new AcipGateway()).execute(args);
    }
}
