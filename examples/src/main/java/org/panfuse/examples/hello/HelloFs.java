package org.panfuse.examples.hello;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.panfuse.fs.lowlevel.FileAttributes;
import org.panfuse.fs.lowlevel.FileInfo;
import org.panfuse.fs.lowlevel.FileType;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.LowLevelFileSystem;
import org.panfuse.fs.lowlevel.MountOptions;
import org.panfuse.fs.lowlevel.Names;
import org.panfuse.fs.lowlevel.ReplyAttr;
import org.panfuse.fs.lowlevel.ReplyData;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyEntry;

/** The smallest useful filesystem: one directory holding one file, hello.txt. */
public final class HelloFs implements LowLevelFileSystem {
    static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.UTF_8);
    static final FileAttributes ROOT = FileAttributes.builder(FileType.DIRECTORY).ino(1).permissions(0755).build();
    static final FileAttributes FILE = FileAttributes.builder(FileType.REGULAR).ino(2).permissions(0444)
            .size(HELLO.length).build();

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        if (parent == 1 && Names.string(name).equals("hello.txt")) {
            reply.entry(FILE, 60, 60);
        } else {
            reply.noEntry(60);
        }
    }

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        reply.attr(ino == 1 ? ROOT : FILE, 60);
    }

    @Override
    public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        String[] names = {".", "..", "hello.txt"};
        for (int i = (int) offset; i < names.length; i++) {
            if (!reply.add(names[i], i < 2 ? 1 : 2, i < 2 ? FileType.DIRECTORY : FileType.REGULAR, i + 1)) {
                break;
            }
        }
        reply.done();
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        int from = (int) Math.min(offset, HELLO.length);
        reply.data(HELLO, from, (int) Math.min(size, HELLO.length - from));
    }

    /** Mounts on the directory given, until it is unmounted ({@code fusermount3 -u DIR}). */
    public static void main(String[] args) throws InterruptedException {
        try (FuseMount mount = FuseMount.mount(new HelloFs(), Path.of(args[0]),
                MountOptions.defaults().withReadOnly(true).withFsName("hello"))) {
            mount.awaitUnmount();
        }
    }
}
