package io.acip.gateway.cli;

import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ca init} and {@code ca issue}: the fabric CA kept in a directory ({@code ca.pem}, {@code ca-key.pem}), and the
 * node, skill and server certificates it signs, written as PEM (chain and key, the key mode 0600), so the CA key can
 * stay on the operator's machine.
 */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Create the fabric CA, or issue certificates "
        + "from it.", subcommands = {CaCommand.Init.class, CaCommand.Issue.class})
final class CaCommand {
    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create a fabric CA (EC P-256, ten years) "
            + "in DIR; refused if DIR already holds one.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "where ca.pem and ca-key.pem go")
        Path dir;

        @Option(names = "--name", defaultValue = "ACIP fabric", description = "the CA's common name (default: ${DEFAULT-VALUE})")
        String name;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(dir.resolve(FabricCa.CERT_FILE)) || Files.exists(dir.resolve(FabricCa.KEY_FILE))) {
                System.err.println(dir + " already holds a CA: nothing written");
                return AcipGateway.FAILED;
            }
            FabricCa.loadOrCreate(dir, name);
            System.out.println("created " + dir.resolve(FabricCa.CERT_FILE) + " and " + dir.resolve(FabricCa.KEY_FILE));
            return AcipGateway.OK;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue a certificate from the CA in "
            + "--ca: KIND is node (SAN acip://node/NAME), skill (SAN acip://skill/NAME) or server (NAME is a DNS "
            + "name; add --dns and --ip for more). Writes OUT/NAME.pem (chain) and OUT/NAME-key.pem.")
    static final class Issue implements Callable<Integer> {
        enum Kind { node, skill, server }

        @Parameters(index = "0", paramLabel = "KIND", description = "node, skill or server")
        Kind kind;

        @Parameters(index = "1", paramLabel = "NAME", description = "node ID, skill name, or the server's DNS name")
        String name;

        @Option(names = "--ca", paramLabel = "DIR", required = true, description = "the CA directory (ca init)")
        Path ca;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "where to write (default: "
                + "${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--days", defaultValue = "365", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--dns", paramLabel = "NAME", description = "server: another DNS name")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "ADDRESS", description = "server: an IP address")
        List<String> ips = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(ca.resolve(FabricCa.KEY_FILE))) {
                System.err.println(ca + " holds no CA key (" + FabricCa.KEY_FILE + "): run `acip-gateway ca init --dir "
                        + ca + "` first");
                return AcipGateway.FAILED;
            }
            if (days < 1) {
                System.err.println("--days: must be at least 1");
                return AcipGateway.REFUSED;
            }
            FabricCa authority = FabricCa.load(ca);
            Duration validity = Duration.ofDays(days);
            IssuedIdentity id;
            try {
                id = switch (kind) {
                    case node -> authority.issueNode(name, validity);
                    case skill -> authority.issueSkill(name, validity);
                    case server -> {
                        List<String> names = new ArrayList<>(List.of(name));
                        names.addAll(dns);
                        List<InetAddress> addresses = new ArrayList<>();
                        for (String ip : ips) {
                            // A literal only: getByName would look a name up.
                            if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) throw new IllegalArgumentException("--ip " + ip
                                    + ": not an IP address");
                            addresses.add(InetAddress.getByName(ip));
                        }
                        yield authority.issueServer(names, addresses, validity);
                    }
                };
            } catch (IllegalArgumentException e) {
                System.err.println(kind + " " + name + ": refused: " + e.getMessage());
                return AcipGateway.REFUSED;
            }
            String file = name.replace('/', '_');
            Files.createDirectories(out);
            id.writePem(out.resolve(file + ".pem"), out.resolve(file + "-key.pem"));
            System.out.println("issued " + id.certificate().getSubjectX500Principal().getName() + " until "
                    + id.certificate().getNotAfter().toInstant() + ": " + out.resolve(file + ".pem") + ", "
                    + out.resolve(file + "-key.pem"));
            return AcipGateway.OK;
        }
    }
}
