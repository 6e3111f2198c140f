package org.panfuse.fs.cli;

/** Something the user can fix; its message is printed as one line, with no stack trace. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
