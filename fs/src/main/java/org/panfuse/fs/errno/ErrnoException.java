package org.panfuse.fs.errno;

/**
 * A failure that carries a POSIX errno. The dispatcher answers the request
 * with it; the POSIX layer throws it when a libc call fails.
 *
 * <p>Instances are cached per errno and carry no stack trace, so a failing
 * call (a negative lookup is an everyday ENOENT) allocates nothing.
 */
public final class ErrnoException extends RuntimeException {
    private static final int CACHED = 256;
    private static final ErrnoException[] BY_ERRNO = new ErrnoException[CACHED];

    static {
        for (int i = 0; i < CACHED; i++) {
            BY_ERRNO[i] = new ErrnoException(i);
        }
    }

    /** The errno value. */
    private final int errno;

    private ErrnoException(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    /**
     * {@return the shared instance for this errno (one per value below 256, a
     * new one for any other)}
     *
     * @param errno a positive errno value, as in errno.h (e.g. {@code panfuse_h.ENOENT()})
     */
    public static ErrnoException of(int errno) {
        return errno > 0 && errno < CACHED ? BY_ERRNO[errno] : new ErrnoException(errno);
    }

    /** {@return the errno value, positive} */
    public int errno() {
        return errno;
    }

    /** {@return the errno's name and value, e.g. "ENOENT (2)"} */
    @Override
    public String getMessage() {
        return Errno.describe(errno);
    }
}
