package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files pass between gocryptfs and panfuse in both directions. */
class GocryptfsKeyFileTest {
    private static final String PASSWORD = "pan fuse 42";

    @BeforeAll
    static void installed() {
        GocryptfsBinary.requireInstalled();
    }

    private static Path passfile(Path dir) throws Exception {
        return Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    }

    /** What gocryptfs -init -reverse writes: read, written back byte for byte, unlocked to the key it showed. */
    @Test
    void readsWhatGocryptfsInitWrites(@TempDir Path dir) throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        String shown = GocryptfsBinary.initReverse(plain, passfile(dir));
        byte[] json = Files.readAllBytes(plain.resolve(KeyFile.REVERSE_NAME));

        KeyFile file = KeyFile.parse(json);
        assertEquals(new String(json, StandardCharsets.UTF_8), new String(file.toJson(), StandardCharsets.UTF_8));
        assertEquals(10, file.logN());
        assertEquals(255, file.longNameMax());
        assertEquals(KeyFile.REVERSE_FLAGS, file.featureFlags());
        try (MasterKey key = file.unlock(PASSWORD.getBytes(StandardCharsets.UTF_8)); MasterKey printed = MasterKey.parse(shown)) {
            assertEquals(printed.paperForm(), key.paperForm());
        }
    }

    @Test
    void readsLongNameMaxAsGocryptfsWritesIt(@TempDir Path dir) throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        String shown = GocryptfsBinary.initReverse(plain, passfile(dir), "-longnamemax", "62");
        byte[] json = Files.readAllBytes(plain.resolve(KeyFile.REVERSE_NAME));

        KeyFile file = KeyFile.parse(json);
        assertEquals(62, file.longNameMax());
        assertEquals(List.of("HKDF", "GCMIV128", "DirIV", "LongNameMax", "EMENames", "LongNames", "Raw64", "AESSIV"),
                file.featureFlags());
        assertEquals(new String(json, StandardCharsets.UTF_8), new String(file.toJson(), StandardCharsets.UTF_8));
        try (MasterKey key = file.unlock(PASSWORD.getBytes(StandardCharsets.UTF_8)); MasterKey printed = MasterKey.parse(shown)) {
            assertEquals(printed.paperForm(), key.paperForm());
        }
    }

    /** What KeyFile.create writes, gocryptfs-xray unlocks to the same key (with and without LongNameMax). */
    @Test
    void gocryptfsReadsWhatKeyFileCreateWrites(@TempDir Path dir) throws Exception {
        for (int longNameMax : new int[] {255, 100}) {
            Path conf = dir.resolve(longNameMax + ".conf");
            try (MasterKey key = MasterKey.random()) {
                Files.write(conf, KeyFile.create(key, PASSWORD.getBytes(StandardCharsets.UTF_8), 10, "panfuse test",
                        longNameMax).toJson());
                String dumped = GocryptfsBinary.dumpMasterKey(conf, PASSWORD);
                try (MasterKey xray = MasterKey.parse(dumped)) {
                    assertEquals(key.paperForm(), xray.paperForm());
                }
            }
        }
    }
}
