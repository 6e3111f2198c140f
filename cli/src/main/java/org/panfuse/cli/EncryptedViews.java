package org.panfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.panfuse.crypt.format.KeyFile;
import org.panfuse.crypt.format.MasterKey;
import org.panfuse.crypt.view.DecryptingView;
import org.panfuse.crypt.view.ReverseView;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.DescriptorLimit;
import org.panfuse.fs.tree.InodeTable;
import org.panfuse.fs.tree.Source;

/**
 * Opens the encrypted views for {@code panfuse mount --encrypt / --decrypt}:
 * finds and reads the key file, unlocks it, and opens the sources.
 */
final class EncryptedViews {
    /** How long the kernel keeps names and attributes of a view (gocryptfs's one second). */
    static final double TIMEOUT = 1.0;

    /** A view ready to mount, and the sources it opened (to check the mountpoint against). */
    record Opened(org.panfuse.fs.lowlevel.LowLevelFileSystem fs, AutoCloseable closer, List<Source> sources) {
    }

    private EncryptedViews() {
    }

    /**
     * The reverse view of one source ({@code config == null}) or of a
     * config's sources. The key file: {@code keyFile}, else the config's
     * key_file, else SOURCE/.gocryptfs.reverse.conf.
     */
    static Opened encrypt(Path source, MountConfig config, Path keyFile, KeyOptions keys) {
        Path keyPath = keyFile;
        if (keyPath == null && config != null) {
            keyPath = (Path) config.options.get("key_file");
            if (keyPath == null) {
                throw UserError.usage(config.file + ": an encrypted view of several sources needs key_file = "
                        + "\"...\" (create it with: panfuse init --key-file FILE)");
            }
        }
        if (keyPath == null) {
            keyPath = source.resolve(KeyFile.REVERSE_NAME);
        }
        byte[] bytes = KeyOptions.readKeyFile(keyPath);
        KeyFile parsed = KeyOptions.parseKeyFile(keyPath, bytes);
        boolean inSource = config == null && sameFile(keyPath, source.resolve(KeyFile.REVERSE_NAME));
        MasterKey key = keys.unlock(parsed, keyPath);
        InodeTable table;
        try {
            int capacity = (int) Math.min(Integer.MAX_VALUE, DescriptorLimit.raiseToHard() / 2);
            if (config == null) {
                table = InodeTable.ofSource(source, capacity);
            } else {
                long nanos = config.modified.to(java.util.concurrent.TimeUnit.NANOSECONDS);
                table = InodeTable.ofSources(config.sources, capacity, Math.floorDiv(nanos, 1_000_000_000L),
                        Math.floorMod(nanos, 1_000_000_000L));
            }
        } catch (ErrnoException e) {
            key.close();
            throw new UserError("a source cannot be opened: " + e.getMessage());
        }
        ReverseView view = new ReverseView(table, key, parsed.longNameMax(), keyPath, bytes, inSource, TIMEOUT);
        return new Opened(view, view, table.sources());
    }

    /** The decrypting view of a backup; the key file: {@code keyFile}, else BACKUP/gocryptfs.conf. */
    static Opened decrypt(Path backup, Path keyFile, KeyOptions keys) {
        Path keyPath = keyFile != null ? keyFile : backup.resolve(KeyFile.NAME);
        KeyFile parsed = Files.exists(keyPath) || keys.masterkey == null
                ? KeyOptions.parseKeyFile(keyPath, KeyOptions.readKeyFile(keyPath)) : null;
        MasterKey key = keys.unlock(parsed, keyPath);
        InodeTable table;
        try {
            table = InodeTable.ofSource(backup, (int) Math.min(Integer.MAX_VALUE, DescriptorLimit.raiseToHard() / 2));
        } catch (ErrnoException e) {
            key.close();
            throw new UserError("the backup cannot be opened: " + e.getMessage());
        }
        try {
            DecryptingView view = new DecryptingView(table, key, parsed == null ? 255 : parsed.longNameMax(), TIMEOUT);
            return new Opened(view, view, table.sources());
        } catch (ErrnoException e) {
            table.close();
            key.close();
            throw new UserError(backup + " is not a backup of an encrypted view (no valid gocryptfs.diriv at its top)");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
