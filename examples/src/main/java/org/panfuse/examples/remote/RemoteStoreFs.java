package org.panfuse.examples.remote;

import static org.panfuse.bindings.panfuse_h.EIO;
import static org.panfuse.bindings.panfuse_h.ENOENT;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.FileAttributes;
import org.panfuse.fs.lowlevel.FileInfo;
import org.panfuse.fs.lowlevel.FileType;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.KernelCache;
import org.panfuse.fs.lowlevel.LowLevelFileSystem;
import org.panfuse.fs.lowlevel.Names;
import org.panfuse.fs.lowlevel.ReplyAttr;
import org.panfuse.fs.lowlevel.ReplyData;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyEntry;
import org.panfuse.fs.lowlevel.ReplyOpen;

/**
 * A slow remote key-value store as a directory of files, one per key, with
 * two things a network filesystem needs:
 *
 * <ul>
 * <li><b>Deferred replies.</b> Every answer that needs the store is taken out
 * of the call ({@code reply.defer()}) and given when the store answers, on the
 * store's thread: a read in flight holds no libfuse worker, so a thousand
 * slow reads wait together instead of ten at a time.</li>
 * <li><b>Notify.</b> The kernel may cache names, attributes and contents for
 * an hour; when the store says a key changed, the filesystem tells the kernel
 * ({@link KernelCache}), and the next read sees the new value at once.</li>
 * </ul>
 *
 * Notifications run on a thread of their own, never on the store's thread
 * that answers reads: dropping a file's cached pages waits for the reads
 * in flight on them, which wait for that thread.
 */
public final class RemoteStoreFs implements LowLevelFileSystem, AutoCloseable {
    private static final double HOUR = 3600;
    private static final long ROOT = 1; // FUSE_ROOT_ID

    private final SlowStore store;
    private final Map<String, Long> inodes = new ConcurrentHashMap<>();
    private final Map<Long, String> keys = new ConcurrentHashMap<>();
    private final AtomicLong nextInode = new AtomicLong(2);
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("remote-store-notify").unstarted(r));
    private volatile KernelCache kernel;

    /** A filesystem over {@code store}; call {@link #attach} once it is mounted. */
    public RemoteStoreFs(SlowStore store) {
        this.store = store;
        store.onChange(key -> notifier.execute(() -> changed(key)));
    }

    /** From now on, changes in the store are told to this mount's kernel cache. */
    public void attach(FuseMount mount) {
        this.kernel = mount.kernelCache();
    }

    /** Waits until every change heard so far has been told to the kernel. */
    public void awaitNotified() throws InterruptedException, java.util.concurrent.ExecutionException {
        notifier.submit(() -> { }).get();
    }

    private long inode(String key) {
        return inodes.computeIfAbsent(key, k -> {
            long ino = nextInode.getAndIncrement();
            keys.put(ino, k);
            return ino;
        });
    }

    /** A key changed or went: drop its name and its contents from the kernel's cache. */
    private void changed(String key) {
        KernelCache k = kernel;
        Long ino = inodes.get(key);
        if (k == null) {
            return; // not mounted yet: nothing is cached
        }
        try {
            if (ino != null) {
                k.invalidateInode(ino, 0, 0); // attributes and all cached data
            }
            k.invalidateEntry(ROOT, key); // the name: it may be new or gone
        } catch (RuntimeException e) {
            // Unmounted meanwhile, or the kernel refused: nothing stale can be served either way.
        }
    }

    private static FileAttributes file(long ino, int size) {
        return FileAttributes.builder(FileType.REGULAR).ino(ino).permissions(0444).size(size).build();
    }

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        String key = Names.string(name);
        ReplyEntry later = reply.defer();
        store.get(key).whenComplete((value, failure) -> {
            if (failure != null) {
                later.error(EIO());
            } else if (value == null || parent != ROOT) {
                later.noEntry(HOUR);
            } else {
                later.entry(file(inode(key), value.length), HOUR, HOUR);
            }
        });
    }

    @Override
    public void forget(long ino, long nlookup) {
        // Inode numbers are kept for the mount's life: a key keeps its number.
    }

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        if (ino == ROOT) {
            reply.attr(FileAttributes.builder(FileType.DIRECTORY).ino(ino).permissions(0555).build(), HOUR);
            return;
        }
        String key = keys.get(ino);
        if (key == null) {
            throw ErrnoException.of(ENOENT());
        }
        ReplyAttr later = reply.defer();
        store.get(key).whenComplete((value, failure) -> {
            if (failure != null || value == null) {
                later.error(failure != null ? EIO() : ENOENT());
            } else {
                later.attr(file(ino, value.length), HOUR);
            }
        });
    }

    @Override
    public void open(long ino, FileInfo fi, ReplyOpen reply) {
        fi.keepCache(true); // kept across opens: changes come as notifications
        reply.opened(fi);
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        String key = keys.get(ino);
        if (key == null) {
            throw ErrnoException.of(ENOENT());
        }
        ReplyData later = reply.defer();
        store.get(key).whenComplete((value, failure) -> {
            if (failure != null || value == null) {
                later.error(failure != null ? EIO() : ENOENT());
                return;
            }
            int from = (int) Math.min(offset, value.length);
            later.data(value, from, (int) Math.min(size, value.length - from));
        });
    }

    /** Lists the keys; the store lists without delay, so this answers in the call. */
    @Override
    public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        var names = new java.util.ArrayList<>(java.util.List.of(".", ".."));
        names.addAll(new java.util.TreeSet<>(store.keys()));
        for (int i = (int) offset; i < names.size(); i++) {
            boolean dir = i < 2;
            if (!reply.add(names.get(i), dir ? ino : inode(names.get(i)), dir ? FileType.DIRECTORY : FileType.REGULAR,
                    i + 1)) {
                break;
            }
        }
        reply.done();
    }

    @Override
    public void close() {
        notifier.shutdownNow();
    }
}
