package org.panfuse.cli;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.panfuse.crypt.format.KeyFile;
import org.panfuse.crypt.format.MasterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panfuse init SOURCE}: creates the key file of an encrypted view, as
 * {@code gocryptfs -init -reverse} does (same file, same place, same format),
 * and prints the master key once for a paper copy.
 */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Creates the key file for an encrypted view of SOURCE: SOURCE/" + KeyFile.REVERSE_NAME
                    + " (where gocryptfs -init -reverse puts it), or --key-file FILE. A new random master key, "
                    + "wrapped with the password through scrypt, in gocryptfs's format; mode 0600.",
            "The master key is printed once: keep it on paper, apart from the backup. With it (--masterkey) a "
                    + "backup can be restored even if the password or the key file is lost."
        })
final class InitCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SOURCE", description = "the directory the encrypted view will show")
    Path source;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "write the key file here instead (e.g. the key_file of a config with several sources)")
    Path keyFile;

    @Option(names = "--scryptn", paramLabel = "LOGN",
            description = "scrypt cost as log2(N), " + KeyFile.MIN_LOG_N + " to 28 (default: " + KeyFile.DEFAULT_LOG_N
                    + ", as gocryptfs; lower is faster to unlock and weaker against guessing)")
    int logN = KeyFile.DEFAULT_LOG_N;

    @Option(names = "--passfile", paramLabel = "FILE", description = "read the password from the first line of FILE")
    Path passfile;

    @Option(names = "--extpass", paramLabel = "CMD",
            description = "run CMD (with /bin/sh -c) and read the password from the first line it prints")
    String extpass;

    @Option(names = "--masterkey", paramLabel = "KEY",
            description = "wrap this master key (hex, dashes allowed; 'stdin' reads it) instead of a new one: "
                    + "a new key file, with a new password, for existing backups (e.g. from the paper copy)")
    String masterkey;

    @Override
    public Integer call() {
        if (logN < KeyFile.MIN_LOG_N || logN > 28) {
            throw UserError.usage("--scryptn must be from " + KeyFile.MIN_LOG_N + " to 28, not " + logN);
        }
        if ((source == null) == (keyFile == null)) {
            throw UserError.usage(source == null ? "give SOURCE (or --key-file FILE)"
                    : "give SOURCE or --key-file FILE, not both");
        }
        Path target = keyFile != null ? keyFile : source.resolve(KeyFile.REVERSE_NAME);
        if (source != null && !Files.isDirectory(source)) {
            throw new UserError(source + " is not a directory");
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError(target + " exists: not overwritten (it may be the only way into existing backups)");
        }
        KeyOptions secrets = new KeyOptions();
        secrets.passfile = passfile;
        secrets.extpass = extpass;
        secrets.masterkey = masterkey;
        MasterKey given = masterkey == null ? null : secrets.masterKey();
        byte[] password = secrets.password("Password: ", true);
        byte[] json;
        try (MasterKey key = given != null ? given : MasterKey.random()) {
            json = KeyFile.create(key, password, logN, "panfuse " + VersionProvider.version()).toJson();
            write(target, json);
            System.out.println("panfuse: created " + target);
            if (given != null) {
                return 0;
            }
            System.out.println();
            System.out.println("Your master key is:");
            System.out.println();
            System.out.println("    " + key.paperForm());
            System.out.println();
            System.out.println("Keep it on paper, apart from the backups: with --masterkey it restores them even");
            System.out.println("if the password or the key file is lost. It is not shown again.");
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        return 0;
    }

    /**
     * Writes the key file whole or not at all, and never through anything
     * planted in its directory (which may be a source other users can write):
     * an unnamed file (O_TMPFILE, mode 0600) in the directory opened once,
     * written and synced, then given its name with linkat, which never
     * replaces an existing file; then the directory is synced.
     */
    private static void write(Path target, byte[] json) {
        Path dir = target.toAbsolutePath().getParent();
        byte[] name = target.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            int dirFd = Libc.openat(AT_FDCWD(), arena.allocateFrom(dir.toString()),
                    O_RDONLY() | O_DIRECTORY() | O_CLOEXEC(), 0);
            try {
                int fd = Libc.openat(dirFd, arena.allocateFrom("."), O_TMPFILE() | O_WRONLY() | O_CLOEXEC(), 0600);
                try {
                    MemorySegment bytes = arena.allocate(json.length);
                    MemorySegment.copy(json, 0, bytes, ValueLayout.JAVA_BYTE, 0, json.length);
                    long written = 0;
                    while (written < json.length) {
                        written += Libc.pwrite(fd, bytes.asSlice(written), json.length - written, written);
                    }
                    Libc.fchmod(fd, 0600);
                    Libc.fsync(fd);
                    MemorySegment n = arena.allocate(name.length + 1L);
                    MemorySegment.copy(name, 0, n, ValueLayout.JAVA_BYTE, 0, name.length);
                    Libc.linkat(AT_FDCWD(), ProcFdPath.of(fd), dirFd, n, AT_SYMLINK_FOLLOW());
                } finally {
                    Libc.close(fd);
                }
                Libc.fsync(dirFd);
            } finally {
                Libc.close(dirFd);
            }
        } catch (ErrnoException e) {
            if (e.errno() == EEXIST()) {
                throw new UserError(target + " exists: not overwritten");
            }
            throw new UserError("cannot write " + target + ": " + e.getMessage());
        }
    }
}
