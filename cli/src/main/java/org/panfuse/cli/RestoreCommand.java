package org.panfuse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.panfuse.crypt.format.KeyFile;
import org.panfuse.crypt.format.MasterKey;
import org.panfuse.crypt.view.Restore;
import org.panfuse.fs.errno.ErrnoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panfuse restore BACKUP PATH... --to DIR}: decrypts chosen files or
 * directories of a backup, named by their plaintext paths, without mounting
 * anything.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Decrypts the files and directories PATH (plaintext paths inside the backup, e.g. etc/fstab; none: "
                    + "everything) of BACKUP, a copy of an encrypted view, into DIR/PATH. Nothing is mounted.",
            "Every block is authenticated: a damaged file is reported and not restored; the others are. Existing "
                    + "files are never overwritten. Exit status 1 if anything was not restored."
        })
final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BACKUP", description = "the backup's directory (holding gocryptfs.conf)")
    Path backup;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "PATH", description = "plaintext paths to restore")
    List<String> paths = new ArrayList<>();

    @Option(names = "--to", paramLabel = "DIR", required = true, description = "where to put what is restored")
    Path into;

    @Option(names = "--key-file", paramLabel = "FILE", description = "the key file (default: BACKUP/gocryptfs.conf)")
    Path keyFile;

    @Option(names = "--same-owner",
            description = "as root: also restore owners and setuid/setgid bits (the backup storage's metadata, which "
                    + "the format does not authenticate: only for storage you trust)")
    boolean sameOwner;

    @Mixin
    KeyOptions keys;

    @Override
    public Integer call() {
        MountCommand.configureLogging();
        if (sameOwner && org.panfuse.bindings.panfuse_h.geteuid() != 0) {
            throw UserError.usage("--same-owner needs root");
        }
        if (!Files.isDirectory(backup)) {
            throw new UserError(backup + " is not a directory");
        }
        Path keyPath = keyFile != null ? keyFile : backup.resolve(KeyFile.NAME);
        KeyFile parsed = Files.exists(keyPath) || keys.masterkey == null
                ? KeyOptions.parseKeyFile(keyPath, KeyOptions.readKeyFile(keyPath)) : null;
        MasterKey key = keys.unlock(parsed, keyPath);
        Restore restore;
        try {
            restore = new Restore(backup, key, parsed == null ? 255 : parsed.longNameMax(), sameOwner);
        } catch (ErrnoException e) {
            key.close();
            throw new UserError(backup + " is not a backup of an encrypted view (" + e.getMessage() + ")");
        }
        try (restore) {
            for (String path : paths.isEmpty() ? List.of("") : paths) {
                restore.restore(path.getBytes(java.nio.charset.StandardCharsets.UTF_8), into.toAbsolutePath());
            }
            for (String failure : restore.failures()) {
                System.err.println("panfuse: " + failure);
            }
            System.err.println("panfuse: restored " + restore.summary() + " into " + into);
            return restore.failures().isEmpty() ? 0 : 1;
        }
    }
}
