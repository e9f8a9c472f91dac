package io.acip.tls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to create the CA in a directory, across threads and processes. An OS file lock alone is not
 * enough inside one JVM (a second lock on the same file throws there instead of waiting), so threads queue on a
 * JVM-wide lock per directory first. The lock file stays behind: deleting it would let a waiting process lock an
 * unlinked file while a third creates a new one.
 */
final class CaDirectoryLock implements AutoCloseable {
    static final String LOCK_FILE = ".ca.lock";
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel;

    private CaDirectoryLock(ReentrantLock jvmLock, FileChannel channel) {
        this.jvmLock = jvmLock;
        this.channel = channel;
    }

    /** Blocks until this thread holds the directory; creates the directory if needed. */
    static CaDirectoryLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        ReentrantLock jvmLock = IN_JVM.computeIfAbsent(dir.toRealPath(), d -> new ReentrantLock());
        jvmLock.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock(); // waits for another process's creator to finish
            return new CaDirectoryLock(jvmLock, channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            jvmLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close(); // releases fileLock too
        } finally {
            jvmLock.unlock();
        }
    }
}
