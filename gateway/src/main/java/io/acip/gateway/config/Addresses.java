package io.acip.gateway.config;

import java.net.InetSocketAddress;

/** {@code host:port} and {@code [v6]:port} in configuration. */
public final class Addresses {
    private Addresses() {
    }

    public static InetSocketAddress parse(String path, String value) throws ConfigException {
        if (value == null || value.isBlank()) throw new ConfigException(path + ": missing host:port");
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(path + ": '" + value + "' is not host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(path + ": port of '" + value + "' is not a number");
        }
        if (port < 0 || port > 65535) throw new ConfigException(path + ": port " + port + " outside 0..65535");
        return new InetSocketAddress(host, port);
    }
}
