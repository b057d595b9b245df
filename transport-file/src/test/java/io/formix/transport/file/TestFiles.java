package io.formix.transport.file;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import com.google.common.jimfs.WatchServiceConfiguration;
import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers for the file transport tests: Jimfs with a fast watcher, hand-written message files. */
final class TestFiles {

    private TestFiles() {}

    /** A Unix-like Jimfs whose watch service polls every {@code pollMillis}. */
    static FileSystem jimfs(long pollMillis) {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setWatchServiceConfiguration(WatchServiceConfiguration.polling(pollMillis, TimeUnit.MILLISECONDS))
                .build());
    }

    static FileSystem jimfs() {
        return jimfs(10);
    }

    /** A payload of {@code size} bytes starting with {@code i}. */
    static byte[] numbered(int i, int size) {
        byte[] p = new byte[Math.max(4, size)];
        ByteBuffer.wrap(p).putInt(i);
        return p;
    }

    static int number(byte[] p) {
        return ByteBuffer.wrap(p).getInt();
    }

    /** Writes {@code n.msg} as another implementation would: header then payload, in place. */
    static Path writeMsg(Path channel, long n, byte[] payload) throws IOException {
        Files.createDirectories(channel);
        return Files.write(channel.resolve(ChannelNames.msg(n)), FrameCodec.encode(payload));
    }

    /** Writes raw bytes as {@code n.msg}. */
    static Path writeRaw(Path channel, long n, byte[] bytes) throws IOException {
        Files.createDirectories(channel);
        return Files.write(channel.resolve(ChannelNames.msg(n)), bytes);
    }

    static Path writeReady(Path channel, long n) throws IOException {
        Files.createDirectories(channel);
        return Files.write(channel.resolve(ChannelNames.ready(n)), new byte[0]);
    }

    /** The receiver's cursor file of channel {@code from_to_to}, in {@code to}'s default state folder. */
    static Path cursorFile(Path root, PartyId from, PartyId to) {
        return StateDir.defaultFor(root, to).resolve(ChannelNames.channel(from, to) + StateDir.CURSOR);
    }

    /** The sender's record of channel {@code from_to_to}, in {@code from}'s default state folder. */
    static Path nextFile(Path root, PartyId from, PartyId to) {
        return StateDir.defaultFor(root, from).resolve(ChannelNames.channel(from, to) + StateDir.NEXT);
    }

    /** The quarantine of channel folder {@code channel} in {@code self}'s default state folder. */
    static Path quarantine(Path root, PartyId self, String channel) {
        return StateDir.defaultFor(root, self).resolve(StateDir.QUARANTINE).resolve(channel);
    }

    /** Names in {@code dir}, sorted. */
    static List<String> names(Path dir) throws IOException {
        List<String> l = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return l;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> l.add(p.getFileName().toString()));
        }
        l.sort(null);
        return l;
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
