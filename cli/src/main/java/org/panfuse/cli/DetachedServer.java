package org.panfuse.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The background server's side of {@link BackgroundMount}: the process the
 * command re-executed, with {@code --daemon-child=TOKEN}. Its standard
 * output is the readiness channel, a pipe the waiting command reads; its
 * standard error is the log file, or /dev/null when the log goes to syslog.
 *
 * <p>Until the mount is ready, everything written to stderr (warnings, the
 * one-line error) also goes down the channel, so the waiting command can
 * show a failure as if it had happened in its own process. Once ready the
 * server writes "TOKEN ready", and stdout is pointed at the log: the waiting
 * command returns, and nothing the server writes later reaches it.
 */
final class DetachedServer {
    private final String token;
    private final PrintStream channel;
    private final PrintStream log;

    private DetachedServer(String token, PrintStream channel, PrintStream log) {
        this.token = token;
        this.channel = channel;
        this.log = log;
    }

    /**
     * Leaves the terminal's session and takes over the process's streams;
     * {@code command}'s error writer (the one-line errors) follows
     * System.err from now on.
     */
    static DetachedServer takeOver(String token, Path logFile, CommandLine command) {
        Detach.newSession();
        PrintStream channel = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // With --log-file the parent made descriptor 2 the file; without, it is /dev/null and lines go to syslog.
        PrintStream log = logFile != null ? System.err
                : new PrintStream(new SyslogStream(), true, StandardCharsets.UTF_8);
        System.setOut(log);
        System.setErr(new PrintStream(new Tee(log, channel), true, StandardCharsets.UTF_8));
        command.setErr(new PrintWriter(new CurrentStderr(), true, StandardCharsets.UTF_8));
        return new DetachedServer(token, channel, log);
    }

    /** Tells the waiting command that the mount serves, and leaves it: stdout and stderr are the log from now on. */
    void ready() {
        System.err.flush();
        channel.println(token + " ready");
        channel.flush();
        System.setErr(log);
        Detach.duplicate(2, 1);
        Detach.toRoot();
    }

    /** Writes to two streams: the log, and the channel while the command waits. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            try {
                first.write(b, off, len);
            } catch (java.io.IOException e) {
                // a log that cannot be written must not keep the line from the waiting command
            }
            try {
                second.write(b, off, len);
            } catch (java.io.IOException e) {
                // the waiting command is gone: the log has the line
            }
        }

        @Override
        public void flush() {
            try {
                first.flush();
                second.flush();
            } catch (java.io.IOException e) {
                // as above
            }
        }
    }

    /** Whatever System.err is at the moment of writing (picocli's writer is made once). */
    private static final class CurrentStderr extends OutputStream {
        @Override
        public void write(int b) {
            System.err.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.err.write(b, off, len);
        }

        @Override
        public void flush() {
            System.err.flush();
        }
    }
}
