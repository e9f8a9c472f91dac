package io.acip.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks (taking the usual JMH command line: {@code -f 1 -wi 3 -i 5 ...}, a regex to select) and,
 * after JMH's own table, prints what the per-operation times mean: ns per packet or message, packets per second,
 * MB/s (MB = 10^6 bytes). Only ns/op is measured; everything else here is arithmetic on it.
 */
public final class BenchReport {
    private BenchReport() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) options.include("io\\.acip\\.bench\\..*Benchmark");
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println("Derived figures (from the mean ns/op above; single thread, this machine)");
        System.out.printf(Locale.ROOT, "%-58s %12s %14s %12s%n", "benchmark", "ns/op", "Mops/s", "MB/s");
        for (Row row : rows(results)) {
            System.out.printf(Locale.ROOT, "%-58s %12.1f %14.3f %12s%n", row.name, row.nanos, 1_000.0 / row.nanos,
                    row.bytes > 0 ? String.format(Locale.ROOT, "%.0f", row.bytes * 1_000.0 / row.nanos) : "-");
        }
        printOpenCost(results);
    }

    private record Row(String name, double nanos, long bytes) {
    }

    private static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String benchmark = shortName(r);
            double nanos = nanosPerOp(r);
            rows.add(new Row(label(r, benchmark), nanos, bytesPerOp(benchmark)));
        }
        return rows;
    }

    /** Bytes each operation handles, for MB/s; 0 where a rate in bytes means nothing. */
    private static long bytesPerOp(String benchmark) {
        return switch (benchmark) {
            case "BinaryHttpBenchmark.indeterminateRequest64k" -> BinaryHttpBenchmark.requestMessage().remaining();
            case "BinaryHttpBenchmark.knownLengthResponse1k" -> BinaryHttpBenchmark.responseMessage().remaining();
            case "CapsuleBenchmark.encode", "CapsuleBenchmark.parse", "CapsuleBenchmark.encodeAndParse" -> 1200;
            case "PacketProtectionBenchmark.sealData", "PacketProtectionBenchmark.sealDgram",
                 "PacketProtectionBenchmark.sealAndOpenData", "PacketProtectionBenchmark.sealAndOpenDgram" ->
                    PacketProtectionBenchmark.PLAINTEXT;
            case "AcipHeaderBenchmark.swapLabel" -> AcipHeaderBenchmark.PACKET;
            default -> 0;
        };
    }

    /** Open alone cannot be measured (packet numbers are single-use), so it is seal-and-open minus seal. */
    private static void printOpenCost(Collection<RunResult> results) {
        for (String type : List.of("Data", "Dgram")) {
            Double seal = null;
            Double both = null;
            for (RunResult r : results) {
                String b = shortName(r);
                if (b.equals("PacketProtectionBenchmark.seal" + type)) seal = nanosPerOp(r);
                if (b.equals("PacketProtectionBenchmark.sealAndOpen" + type)) both = nanosPerOp(r);
            }
            if (seal != null && both != null) {
                System.out.printf(Locale.ROOT, "%-58s %12.1f%n", "PacketProtectionBenchmark.open" + type
                        + " (derived: sealAndOpen - seal)", both - seal);
            }
        }
    }

    private static String shortName(RunResult r) {
        String full = r.getParams().getBenchmark();
        int method = full.lastIndexOf('.');
        int type = full.lastIndexOf('.', method - 1);
        return full.substring(type + 1);
    }

    private static String label(RunResult r, String benchmark) {
        StringBuilder sb = new StringBuilder(benchmark);
        for (String key : r.getParams().getParamsKeys()) {
            sb.append(' ').append(key).append('=').append(r.getParams().getParam(key));
        }
        return sb.toString();
    }

    /** The primary score as ns per operation, whichever mode and time unit JMH was asked for. */
    private static double nanosPerOp(RunResult r) {
        double score = r.getPrimaryResult().getScore();
        String unit = r.getPrimaryResult().getScoreUnit();
        String[] parts = unit.split("/");
        if (parts.length != 2) throw new IllegalArgumentException("unexpected score unit " + unit);
        if (parts[1].equals("op")) return score * nanos(parts[0]);
        if (parts[0].equals("ops")) return nanos(parts[1]) / score;
        throw new IllegalArgumentException("unexpected score unit " + unit);
    }

    private static double nanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> throw new IllegalArgumentException("unexpected time unit " + unit);
        };
    }
}
