package org.panfuse.cli;

/**
 * Something the user can fix; its message is printed as one line, with no
 * stack trace. Exit status 2 when the command line itself is wrong (as for
 * unknown options), 1 when the system refused (a missing source, a failed mount).
 */
final class UserError extends RuntimeException {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final int exitCode;

    UserError(String message) {
        this(message, FAILED);
    }

    private UserError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The command line is wrong: exit status 2. */
    static UserError usage(String message) {
        return new UserError(message, USAGE);
    }

    int exitCode() {
        return exitCode;
    }
}
