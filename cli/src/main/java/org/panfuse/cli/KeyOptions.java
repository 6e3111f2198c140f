package org.panfuse.cli;

import static org.panfuse.bindings.panfuse_h.*;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;
import org.panfuse.crypt.format.FormatException;
import org.panfuse.crypt.format.KeyFile;
import org.panfuse.crypt.format.MasterKey;
import picocli.CommandLine.Option;

/**
 * Where a command gets its key, with gocryptfs's option names: a password
 * from the terminal (no echo), from {@code --passfile} or from
 * {@code --extpass} (for cron), or the master key itself ({@code --masterkey},
 * the paper copy). A password is never taken from the command line or the
 * environment. Secrets are held in arrays that are wiped once used.
 */
final class KeyOptions {
    /** The longest password read from a file or a program (gocryptfs's limit too). */
    private static final int MAX_PASSWORD = 2048;

    @Option(names = "--passfile", paramLabel = "FILE",
            description = "read the password from the first line of FILE")
    Path passfile;

    @Option(names = "--extpass", paramLabel = "CMD",
            description = "run CMD (with /bin/sh -c) and read the password from the first line it prints")
    String extpass;

    @Option(names = "--masterkey", paramLabel = "KEY",
            description = "unlock with the master key printed at init (hex, dashes allowed) instead of a password; "
                    + "'stdin' reads it from standard input (a key on the command line is visible to other users)")
    String masterkey;

    /** The largest key file read: gocryptfs's are under 1 KiB. */
    private static final int KEY_FILE_MAX = 64 * 1024;

    /**
     * The key file's bytes, or a one-line error naming it. It may lie in a
     * directory others can write (a source, a backup): only a regular file of
     * key-file size is read, and opening never blocks (a FIFO) or reads a device.
     */
    static byte[] readKeyFile(Path keyFile) {
        try (Arena arena = Arena.ofConfined()) {
            int fd;
            try {
                fd = Libc.openat(AT_FDCWD(), arena.allocateFrom(keyFile.toString()),
                        O_PATH() | O_CLOEXEC(), 0);
            } catch (ErrnoException e) {
                throw e.errno() == ENOENT() ? new UserError("no key file " + keyFile + " (create one with: panfuse init)")
                        : new UserError("cannot read the key file " + keyFile + ": " + e.getMessage());
            }
            try {
                MemorySegment st = arena.allocate(stat.layout());
                Libc.fstatat(fd, arena.allocateFrom(""), st, AT_EMPTY_PATH());
                if ((stat.st_mode(st) & S_IFMT()) != S_IFREG()) {
                    throw new UserError(keyFile + " is not a regular file: not a key file");
                }
                if (stat.st_size(st) > KEY_FILE_MAX) {
                    throw new UserError(keyFile + " is " + stat.st_size(st) + " bytes: too large for a key file");
                }
                int file = Libc.openat(AT_FDCWD(), ProcFdPath.of(fd), O_RDONLY() | O_NONBLOCK() | O_CLOEXEC(), 0);
                try {
                    MemorySegment buf = arena.allocate(KEY_FILE_MAX + 1);
                    long total = 0;
                    long n;
                    while (total <= KEY_FILE_MAX && (n = Libc.pread(file, buf.asSlice(total), KEY_FILE_MAX + 1 - total,
                            total)) > 0) {
                        total += n;
                    }
                    if (total > KEY_FILE_MAX) {
                        throw new UserError(keyFile + " grew too large for a key file");
                    }
                    return buf.asSlice(0, total).toArray(ValueLayout.JAVA_BYTE);
                } finally {
                    Libc.close(file);
                }
            } catch (ErrnoException e) {
                throw new UserError("cannot read the key file " + keyFile + ": " + e.getMessage());
            } finally {
                Libc.close(fd);
            }
        }
    }

    /** The parsed key file, or a one-line error naming it. */
    static KeyFile parseKeyFile(Path keyFile, byte[] bytes) {
        try {
            return KeyFile.parse(bytes);
        } catch (FormatException e) {
            throw new UserError(keyFile + ": " + e.getMessage());
        }
    }

    /** The master key: from --masterkey, or the key file unlocked with the password. */
    MasterKey unlock(KeyFile keyFile, Path keyFilePath) {
        if (masterkey != null) {
            if (passfile != null || extpass != null) {
                throw UserError.usage("--masterkey replaces the password: give no --passfile or --extpass with it");
            }
            return masterKey();
        }
        if (keyFile == null) {
            throw new UserError("no key file " + keyFilePath + " to unlock (or give --masterkey)");
        }
        byte[] password = password("Password: ", false);
        try {
            return keyFile.unlock(password);
        } catch (FormatException e) {
            throw new UserError(keyFilePath + ": " + e.getMessage());
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** The master key given with --masterkey (the value, or 'stdin'). */
    MasterKey masterKey() {
        String text = masterkey;
        if (text.equals("stdin")) {
            text = new String(firstLine(System.in, "standard input"), StandardCharsets.US_ASCII);
        } else {
            System.err.println("panfuse: warning: a master key on the command line can be read by other users "
                    + "(ps); --masterkey stdin avoids that");
        }
        try {
            return MasterKey.parse(text.strip());
        } catch (FormatException e) {
            throw UserError.usage("--masterkey: " + e.getMessage());
        }
    }

    /** The password, from the file, the program or the terminal; asked twice at the terminal if {@code confirm}. */
    byte[] password(String prompt, boolean confirm) {
        if (passfile != null && extpass != null) {
            throw UserError.usage("give --passfile or --extpass, not both");
        }
        byte[] password;
        if (passfile != null) {
            try (InputStream in = Files.newInputStream(passfile)) {
                password = firstLine(in, passfile.toString());
            } catch (IOException e) {
                throw new UserError("cannot read --passfile " + passfile + ": " + e.getMessage());
            }
        } else if (extpass != null) {
            password = fromProgram();
        } else {
            password = fromTerminal(prompt, confirm);
        }
        if (password.length == 0) {
            throw new UserError("the password is empty");
        }
        return password;
    }

    private byte[] fromProgram() {
        Process p;
        try {
            p = new ProcessBuilder(List.of("/bin/sh", "-c", extpass))
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UserError("--extpass: cannot run '" + extpass + "': " + e.getMessage());
        }
        byte[] line;
        try (InputStream out = p.getInputStream()) {
            line = firstLine(out, "--extpass");
        } catch (IOException e) {
            line = new byte[0];
        }
        try {
            // The first line is all we take: a program that goes on printing is not waited for.
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Arrays.fill(line, (byte) 0);
                throw new UserError("--extpass: '" + extpass + "' did not exit within 10 s of printing the password");
            }
            int status = p.exitValue();
            if (status != 0) {
                Arrays.fill(line, (byte) 0);
                throw new UserError("--extpass: '" + extpass + "' exited with status " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("--extpass: interrupted");
        }
        return line;
    }

    private static byte[] fromTerminal(String prompt, boolean confirm) {
        Console console = System.console();
        if (console == null) {
            throw UserError.usage("no terminal to ask for the password: give --passfile FILE or --extpass CMD");
        }
        char[] first = console.readPassword("%s", prompt);
        if (first == null) {
            throw new UserError("no password given");
        }
        try {
            if (confirm) {
                char[] again = console.readPassword("Repeat: ");
                boolean same = again != null && Arrays.equals(first, again);
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
                if (!same) {
                    throw new UserError("the passwords do not match");
                }
            }
            var encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(first));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return bytes;
        } finally {
            Arrays.fill(first, '\0');
        }
    }

    /** The first line of {@code in} without its line end (what gocryptfs takes from a passfile or extpass). */
    private static byte[] firstLine(InputStream in, String what) {
        byte[] buf = new byte[MAX_PASSWORD + 1];
        int n = 0;
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == buf.length) {
                    Arrays.fill(buf, (byte) 0);
                    throw new UserError(what + ": the password is longer than " + MAX_PASSWORD + " bytes");
                }
                buf[n++] = (byte) b;
            }
        } catch (IOException e) {
            throw new UserError("cannot read the password from " + what + ": " + e.getMessage());
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        byte[] line = Arrays.copyOf(buf, n);
        Arrays.fill(buf, (byte) 0);
        return line;
    }
}
