package io.acip.tls;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A CA file that exists but cannot serve as the fabric CA: unreadable PEM, a key that does not match the certificate,
 * a certificate that is not a CA or has expired, half a CA. The message starts with the file's path, so an operator
 * knows which file to fix.
 */
public final class InvalidCaException extends IOException {
    private final transient Path file;

    public InvalidCaException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public InvalidCaException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
