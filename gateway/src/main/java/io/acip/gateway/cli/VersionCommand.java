package io.acip.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code version}: this build, the protocol it speaks and the JVM it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version, the ACIP version "
        + "spoken and the Java runtime.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : lines()) System.out.println(line);
        return AcipGateway.OK;
    }

    static String[] lines() {
        String v = AcipGateway.class.getPackage().getImplementationVersion();
        return new String[] {"acip-gateway " + (v == null ? "(development build)" : v), "protocol: ACIP v0 (ALPN acip/0)",
                "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
