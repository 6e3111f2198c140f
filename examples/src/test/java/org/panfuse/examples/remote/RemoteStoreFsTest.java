package org.panfuse.examples.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * The remote store, mounted: changes made behind the kernel's back are seen
 * at once (though everything is cached for an hour), and slow reads wait
 * together instead of holding the workers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RemoteStoreFsTest {
    @TempDir
    Path mnt;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void changesBehindTheKernelsBackAreSeenAtOnce() throws Exception {
        try (SlowStore store = new SlowStore(20); RemoteStoreFs fs = new RemoteStoreFs(store);
                FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults().withReadOnly(true))) {
            fs.attach(mount);
            store.put("greeting", utf8("hello"));
            fs.awaitNotified(); // its notification must not land after the first read below
            Path greeting = mnt.resolve("greeting");
            assertEquals("hello", Files.readString(greeting));
            store.putUnheard("greeting", utf8("changed, unheard"));
            assertEquals("hello", Files.readString(greeting), "the kernel's cache, for an hour");

            store.put("greeting", utf8("bonjour, longer"));
            fs.awaitNotified();
            assertEquals("bonjour, longer", Files.readString(greeting));
            assertEquals(15, Files.size(greeting));

            assertFalse(Files.exists(mnt.resolve("news")), "a negative entry, cached for an hour");
            store.put("news", utf8("new key"));
            fs.awaitNotified();
            assertEquals("new key", Files.readString(mnt.resolve("news")));

            store.remove("greeting");
            fs.awaitNotified();
            assertFalse(Files.exists(greeting));
        }
    }

    /** 300 reads of a 300 ms store on 2 workers: deferred, they are all in flight together. */
    @Test
    void slowReadsDoNotHoldTheWorkers() throws Exception {
        int readers = 300;
        try (SlowStore store = new SlowStore(300); RemoteStoreFs fs = new RemoteStoreFs(store);
                FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults().withReadOnly(true).withThreads(2))) {
            fs.attach(mount);
            for (int i = 0; i < readers; i++) {
                store.put("key-" + i, utf8("value " + i));
            }
            // Each name's notification takes the directory's lock, which waits for lookups in flight there:
            // let them all land before the readers start.
            fs.awaitNotified();
            List<String> wrong = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                int n = i;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        String got = Files.readString(mnt.resolve("key-" + n));
                        if (!got.equals("value " + n)) {
                            wrong.add(n + ": " + got);
                        }
                    } catch (Exception e) {
                        wrong.add(n + ": " + e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), wrong);
            // Held workers would have allowed two at a time.
            assertTrue(store.mostInFlight() > 20, "at most " + store.mostInFlight() + " store reads at once");
        }
    }
}
