package org.panfuse.cli;

import java.nio.charset.StandardCharsets;

/**
 * systemd's readiness protocol (sd_notify(3)) without libsystemd: when
 * systemd starts panfuse in a {@code Type=notify} unit it puts a datagram
 * socket's address in {@code $NOTIFY_SOCKET}, and panfuse sends
 * {@code READY=1} there once the mount serves (and {@code STOPPING=1} when
 * it begins to unmount). Without the variable nothing is sent. The message
 * is one datagram of newline-separated assignments, as libsystemd sends it.
 */
final class SdNotify {
    /** The environment variable systemd sets. */
    static final String SOCKET_VARIABLE = "NOTIFY_SOCKET";

    private SdNotify() {
    }

    /**
     * Sends {@code assignments} (e.g. "READY=1", "STATUS=...") to
     * {@code $NOTIFY_SOCKET} if it is set; returns whether they were sent. A
     * socket that cannot be reached is said in one warning line: systemd
     * would otherwise wait for its timeout without a word.
     */
    static boolean notify(String... assignments) {
        String address = System.getenv(SOCKET_VARIABLE);
        if (address == null || address.isEmpty()) {
            return false;
        }
        if (!(address.startsWith("/") || address.startsWith("@"))) {
            // systemd 256 also offers vsock: addresses, for virtual machines; panfuse is not run there.
            System.err.println("panfuse: warning: " + SOCKET_VARIABLE + "=" + address
                    + " is not a unix socket address; systemd is not told that the mount is ready");
            return false;
        }
        String message = String.join("\n", assignments) + "\n";
        try (UnixDatagram socket = UnixDatagram.open(false)) {
            socket.send(address, message.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            System.err.println("panfuse: warning: could not notify systemd at " + address + ": " + e.getMessage());
            return false;
        }
    }
}
