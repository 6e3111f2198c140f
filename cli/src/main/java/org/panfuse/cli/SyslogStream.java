package org.panfuse.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The background server's log when no {@code --log-file} is given: each line
 * written becomes one syslog datagram on {@code /dev/log}, as logger(1)
 * sends it ({@code <PRI>Mmm dd hh:mm:ss panfuse[PID]: line}, facility
 * daemon). Under systemd, journald owns {@code /dev/log}, so the lines land in
 * the journal ({@code journalctl -t panfuse}); elsewhere in rsyslog's files.
 * A line that cannot be sent (no syslog running) is dropped: the command
 * warned about that before it went to the background.
 *
 * <p>{@code $PANFUSE_SYSLOG_SOCKET} names another socket than
 * {@code /dev/log} (a container's syslog, or a test's).
 */
final class SyslogStream extends OutputStream {
    /** Where syslog daemons listen. */
    static final String DEV_LOG = "/dev/log";
    /** The variable that names another socket. */
    static final String SOCKET_VARIABLE = "PANFUSE_SYSLOG_SOCKET";

    private static final int FACILITY_DAEMON = 3 << 3;
    private static final int ERR = 3;
    private static final int WARNING = 4;
    private static final int INFO = 6;
    private static final int DEBUG = 7;
    /** Longer lines are cut: rsyslog's default message size is 8 KiB. */
    private static final int MAX_LINE = 8000;
    private static final DateTimeFormatter RFC3164_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final String address;
    private final long pid = ProcessHandle.current().pid();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private UnixDatagram socket;

    SyslogStream() {
        this.address = address();
    }

    /** The socket lines go to: {@code $PANFUSE_SYSLOG_SOCKET}, else {@code /dev/log}. */
    static String address() {
        String override = System.getenv(SOCKET_VARIABLE);
        return override == null || override.isEmpty() ? DEV_LOG : override;
    }

    /** Whether a syslog socket is there to take lines (checked before going to the background). */
    static boolean available() {
        String a = address();
        return a.startsWith("@") || Files.exists(Path.of(a));
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isBlank()) {
            return;
        }
        String message = "<" + (FACILITY_DAEMON | severity(text)) + ">" + LocalDateTime.now().format(RFC3164_TIME)
                + " panfuse[" + pid + "]: " + text;
        try {
            if (socket == null) {
                socket = UnixDatagram.open(false);
            }
            socket.send(address, message.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // No syslog (or it is full): the line is lost, as logger(1) would lose it.
        }
    }

    /** The level slf4j-simple wrote into the line, as a syslog severity; panfuse's own lines are notices of info. */
    static int severity(String text) {
        if (text.contains("] ERROR ") || text.startsWith("ERROR ")) {
            return ERR;
        }
        if (text.contains("] WARN ") || text.startsWith("WARN ") || text.startsWith("panfuse: warning")) {
            return WARNING;
        }
        if (text.contains("] DEBUG ") || text.contains("] TRACE ")) {
            return DEBUG;
        }
        return INFO;
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            flushLine();
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
