package org.panfuse.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated constants, struct sizes and field offsets agree with what the
 * C compiler says for the same header on this machine.
 */
class BindingsAbiTest {

    @Test
    void constantsMatchTheCCompiler() throws Exception {
        int checked = 0;
        for (Map.Entry<String, String> e : AbiProbe.values().entrySet()) {
            if (!e.getKey().startsWith("const.")) {
                continue;
            }
            String name = e.getKey().substring("const.".length());
            Object javaValue = panfuse_h.class.getMethod(name).invoke(null);
            assertEquals(Long.parseLong(e.getValue()), ((Number) javaValue).longValue(), name);
            checked++;
        }
        assertTrue(checked >= 10, "probe reported only " + checked + " constants");
    }

    @Test
    void structSizesMatchTheCCompiler() throws Exception {
        int checked = 0;
        for (Map.Entry<String, String> e : AbiProbe.values().entrySet()) {
            if (!e.getKey().startsWith("sizeof.")) {
                continue;
            }
            Class<?> struct = structClass(e.getKey().substring("sizeof.".length()));
            long javaSize = (long) struct.getMethod("sizeof").invoke(null);
            assertEquals(Long.parseLong(e.getValue()), javaSize, "sizeof(struct " + struct.getSimpleName() + ")");
            checked++;
        }
        assertTrue(checked >= 10, "probe reported only " + checked + " struct sizes");
    }

    @Test
    void fieldOffsetsMatchTheCCompiler() throws Exception {
        int checked = 0;
        for (Map.Entry<String, String> e : AbiProbe.values().entrySet()) {
            if (!e.getKey().startsWith("offsetof.")) {
                continue;
            }
            String[] parts = e.getKey().split("\\.");
            Method offset = structClass(parts[1]).getMethod(parts[2] + "$offset");
            assertEquals(Long.parseLong(e.getValue()), (long) offset.invoke(null), e.getKey());
            checked++;
        }
        assertTrue(checked >= 5, "probe reported only " + checked + " offsets");
    }

    private static Class<?> structClass(String name) throws ClassNotFoundException {
        return Class.forName("org.panfuse.bindings." + name);
    }
}
