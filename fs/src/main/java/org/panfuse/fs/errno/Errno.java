package org.panfuse.fs.errno;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.panfuse.bindings.panfuse_h;

/**
 * Names for errno values, taken from the generated bindings, for messages and
 * debug logs. Thread-safe; the table is built on first use.
 */
public final class Errno {
    private static volatile Map<Integer, String> names;

    private Errno() {
    }

    /**
     * {@return the errno's name and value, e.g. "ENOENT (2)", or the bare
     * number for a value with no name}
     *
     * @param errno a positive errno value
     */
    public static String describe(int errno) {
        String name = names().get(errno);
        return name == null ? Integer.toString(errno) : name + " (" + errno + ")";
    }

    /**
     * {@return the symbolic name, e.g. "ENOENT", or null for a value with no
     * name} Of aliases (EAGAIN and EWOULDBLOCK) the shorter name.
     *
     * @param errno a positive errno value
     */
    public static String name(int errno) {
        return names().get(errno);
    }

    private static Map<Integer, String> names() {
        Map<Integer, String> n = names;
        if (n == null) {
            n = new HashMap<>();
            for (Method m : panfuse_h.class.getMethods()) {
                String name = m.getName();
                if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && m.getReturnType() == int.class
                        && name.length() > 2 && name.charAt(0) == 'E' && name.equals(name.toUpperCase())) {
                    try {
                        int value = (int) m.invoke(null);
                        // Aliases (EWOULDBLOCK = EAGAIN, EDEADLOCK = EDEADLK): keep the shorter, usual name.
                        n.merge(value, name, (a, b) -> a.length() <= b.length() ? a : b);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            names = n;
        }
        return n;
    }
}
