package io.acip.tls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Run in separate JVMs by {@link FabricCaTest}: warms up, prints {@code ready}, waits for a line on stdin, then
 * loads or creates the CA in args[0] and prints its SHA-256. The go line lets all processes race at one moment.
 */
public final class CreateCaMain {
    private CreateCaMain() {
    }

    public static void main(String[] args) throws Exception {
        FabricCa.generate("warm-up"); // class loading out of the race, so creators overlap
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        FabricCa ca = FabricCa.loadOrCreate(Path.of(args[0]), "race");
        System.out.println(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded())));
    }
}
