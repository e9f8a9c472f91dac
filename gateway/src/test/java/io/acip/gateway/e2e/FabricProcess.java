package io.acip.gateway.e2e;

import java.nio.file.Path;
import java.util.List;

/** {@link Fabric3} in a process of its own, for tests that bound its memory. Prints {@code PORT n}; ends with stdin. */
public final class FabricProcess {
    public static void main(String[] args) throws Exception {
        try (Fabric3 fabric = new Fabric3(Path.of(args[0]), List.of(), false)) {
            System.out.println("PORT " + fabric.http());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
        }
    }
}
