package org.panfuse.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Mounting in the background, as FUSE programs do by default: the command
 * returns once the mount serves (exit 0) or has failed (its one-line error,
 * its exit status), and the server goes on detached from the terminal.
 *
 * <p>A JVM cannot fork, so the command starts itself again (the same java,
 * the same JVM flags, the same jar) with {@code --daemon-child=TOKEN} before
 * the mount arguments, stdin from /dev/null (or a pipe carrying the password
 * asked for here), stdout a pipe back to this process (the readiness channel:
 * see {@link DetachedServer}) and stderr the log file or /dev/null. The
 * server leaves the terminal's session itself (setsid) as its first step.
 */
final class BackgroundMount {
    /** The option that makes a mount the detached server, with the token it announces readiness with. */
    static final String CHILD_OPTION = "--daemon-child";

    private BackgroundMount() {
    }

    /**
     * Starts the server for {@code mountArgs} (the mount command's arguments,
     * without "mount") and waits for its word. {@code secret}, if not null,
     * is written to the server's stdin (and wiped): the password asked for
     * at this terminal, which the server cannot reach.
     *
     * @return the exit status: 0 once ready, else the server's own (1 if it gave none)
     */
    static int start(List<String> mountArgs, List<String> extraArgs, Path logFile, byte[] secret) {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        List<String> command = new ArrayList<>(javaCommand());
        command.add("mount");
        command.add(CHILD_OPTION + "=" + token);
        command.addAll(extraArgs);
        command.addAll(mountArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(secret == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(logFile == null ? ProcessBuilder.Redirect.DISCARD
                        : ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // This process tells systemd (if it waits) itself, naming the server as the unit's main process.
        builder.environment().remove(SdNotify.SOCKET_VARIABLE);
        Process server;
        try {
            server = builder.start();
        } catch (IOException e) {
            throw new UserError("could not start the background server (" + command.get(0) + "): " + e.getMessage());
        }
        // Ctrl-C or SIGTERM while the command waits is meant for the mount under way; the server, in a session
        // of its own by now, does not get the terminal's signal: it is told to end (and unmounts if it got so far).
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> server.destroy());
        }
        if (secret != null) {
            try (OutputStream in = server.getOutputStream()) {
                in.write(secret);
                in.write('\n');
            } catch (IOException e) {
                // the server has died already: its word (or its exit) says why
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        List<String> said = new ArrayList<>();
        try (BufferedReader channel = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = channel.readLine()) != null; ) {
                if (line.equals(token + " ready")) {
                    SdNotify.notify("READY=1", "MAINPID=" + server.pid());
                    return 0;
                }
                said.add(line);
            }
        } catch (IOException e) {
            said.add("panfuse: lost the background server's word: " + e.getMessage());
        }
        int status;
        try {
            status = server.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroy();
            throw new UserError("interrupted while waiting for the background server");
        }
        said.forEach(System.err::println);
        if (said.isEmpty()) {
            System.err.println("panfuse: the background server ended (exit status " + status + ") before the mount "
                    + "was ready" + (logFile == null ? "" : "; see " + logFile));
        }
        return status == 0 ? UserError.FAILED : status;
    }

    /**
     * The first line of {@code in} without its end, at most 4 KiB (the master
     * key for {@code --masterkey stdin}, passed on to the server's stdin).
     */
    static byte[] firstLine(java.io.InputStream in) {
        byte[] buf = new byte[4096];
        int n = 0;
        try {
            for (int b; n < buf.length && (b = in.read()) >= 0 && b != '\n'; ) {
                buf[n++] = (byte) b;
            }
        } catch (IOException e) {
            throw new UserError("cannot read standard input: " + e.getMessage());
        }
        byte[] line = Arrays.copyOf(buf, n);
        Arrays.fill(buf, (byte) 0);
        return line;
    }

    /**
     * How this JVM was started, without the program's arguments: the java
     * binary, its flags, and -jar JAR (or the class path and main class).
     */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(flags);
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            // The mount jar: its manifest names the entry point and grants native access.
            command.add("-jar");
            command.add(classPath);
        } else {
            if (flags.stream().noneMatch(f -> f.startsWith("--enable-native-access"))) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.add("-cp");
            command.add(classPath);
            command.add(PanfuseCommand.class.getName());
        }
        return command;
    }
}
