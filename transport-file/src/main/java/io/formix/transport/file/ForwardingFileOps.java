package io.formix.transport.file;

import java.io.IOException;
import java.nio.file.Path;

/** {@link FileOps} that hands every operation to another; subclasses override what they change. */
abstract class ForwardingFileOps implements FileOps {

    /** The operations handed to. */
    final FileOps ops;

    ForwardingFileOps(FileOps ops) {
        this.ops = ops;
    }

    @Override
    public void write(Path file, byte[] header, byte[] payload, boolean force) throws IOException {
        ops.write(file, header, payload, force);
    }

    @Override
    public void moveAtomic(Path from, Path to) throws IOException {
        ops.moveAtomic(from, to);
    }

    @Override
    public void createEmpty(Path file) throws IOException {
        ops.createEmpty(file);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        ops.createLink(link, existing);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        ops.forceDirectory(dir);
    }
}
