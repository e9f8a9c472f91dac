package io.acip.gateway;

import io.acip.gateway.cli.AcipGateway;

/**
 * {@code java -jar acip-gateway.jar}: the demo fabric on loopback; {@code --config FILE} or {@code run --config FILE}:
 * one node from YAML (docs/configuration.md); the other commands in {@link AcipGateway} (docs/operations.md, CLI).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(AcipGateway.execute(args));
    }
}
