package io.acip.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in configuration: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /** Parses {@code value}, or returns {@code fallback} when it is null; {@code path} names the field in errors. */
    public static Duration parse(String path, String value, Duration fallback) throws ConfigException {
        if (value == null) return fallback;
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) throw new ConfigException(path + ": '" + value + "' is not a duration like 250ms, 10s, 5m");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) throw new ConfigException(path + ": must be more than zero");
        return d;
    }
}
