package org.panfuse.crypt.view;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plaintext names behind hashed long names (gocryptfs.longname.*), by
 * view path, as met in listings: a lookup of a long name then needs no scan
 * of its directory. Bounded (least recently used out), since anyone who can
 * write a source can make long names.
 */
final class LongNameCache {
    private static final int CAPACITY = 10_000;

    private final Map<String, byte[]> names = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized byte[] get(String viewPath) {
        return names.get(viewPath);
    }

    synchronized void put(String viewPath, byte[] plainName) {
        names.put(viewPath, plainName);
    }
}
