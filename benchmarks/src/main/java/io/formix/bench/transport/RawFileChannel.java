package io.formix.bench.transport;

import io.formix.transport.FrameCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The raw floor for the file transport: the same file operations as wire format v1 (write a
 * temp file, rename it to {@code n.msg}, create {@code n.ready}; read {@code n.msg}, delete
 * both), with no notification, no cursor, no lock, no validation and a reader that polls.
 * Nothing real should do this; it is what the syscalls alone cost.
 */
final class RawFileChannel {
    private final Path dir;
    private long nextWrite;
    private long nextRead;

    RawFileChannel(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    void write(byte[] payload) throws IOException {
        String name = String.format("%08d", nextWrite++);
        Path tmp = dir.resolve("." + name + ".msg.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(new ByteBuffer[] {ByteBuffer.wrap(FrameCodec.header(payload.length)), ByteBuffer.wrap(payload)});
        }
        Files.move(tmp, dir.resolve(name + ".msg"), StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(dir.resolve(name + ".ready"));
    }

    /** Polls (yielding the CPU between looks) until the next message is ready, then reads and deletes it. */
    byte[] read() throws IOException {
        String name = String.format("%08d", nextRead);
        Path ready = dir.resolve(name + ".ready");
        while (!Files.exists(ready)) {
            Thread.yield(); // a spinning poller starves the writer on a loaded 2-core machine
        }
        Path msg = dir.resolve(name + ".msg");
        byte[] all = Files.readAllBytes(msg);
        Files.delete(ready);
        Files.delete(msg);
        nextRead++;
        byte[] payload = new byte[all.length - FrameCodec.HEADER_BYTES];
        System.arraycopy(all, FrameCodec.HEADER_BYTES, payload, 0, payload.length);
        return payload;
    }
}
