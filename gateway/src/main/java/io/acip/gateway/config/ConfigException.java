package io.acip.gateway.config;

/** A configuration the gateway refuses to start with; the message starts with the offending field's path. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
