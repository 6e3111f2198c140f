package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyFileTest {
    private static final byte[] PASSWORD = "correct horse".getBytes(StandardCharsets.UTF_8);
    private static String paper;
    private static String json;

    @BeforeAll
    static void create() {
        try (MasterKey key = MasterKey.random()) {
            paper = key.paperForm();
            json = text(KeyFile.create(key, PASSWORD, 10, "panfuse test").toJson());
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void createWritesParseReadsUnlockOpens() {
        KeyFile parsed = KeyFile.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("panfuse test", parsed.creator());
        assertEquals(10, parsed.logN());
        assertEquals(255, parsed.longNameMax());
        assertEquals(List.of("HKDF", "GCMIV128", "DirIV", "EMENames", "LongNames", "Raw64", "AESSIV"), parsed.featureFlags());
        assertEquals(json, text(parsed.toJson()));
        try (MasterKey key = parsed.unlock(PASSWORD)) {
            assertEquals(paper, key.paperForm());
        }
    }

    /** Go's json.MarshalIndent(cf, "", "\t") + "\n", field for field. */
    @Test
    void layoutIsGocryptfsOwn() {
        String[] lines = json.split("\n", -1);
        assertEquals("{", lines[0]);
        assertTrue(lines[1].equals("\t\"Creator\": \"panfuse test\","), lines[1]);
        assertTrue(lines[2].matches("\t\"EncryptedKey\": \"[A-Za-z0-9+/]{86}==\","), lines[2]);
        assertEquals("\t\"ScryptObject\": {", lines[3]);
        assertTrue(lines[4].matches("\t\t\"Salt\": \"[A-Za-z0-9+/]{43}=\","), lines[4]);
        assertEquals("\t\t\"N\": 1024,", lines[5]);
        assertEquals("\t\t\"R\": 8,", lines[6]);
        assertEquals("\t\t\"P\": 1,", lines[7]);
        assertEquals("\t\t\"KeyLen\": 32", lines[8]);
        assertEquals("\t},", lines[9]);
        assertEquals("\t\"Version\": 2,", lines[10]);
        assertEquals("\t\"FeatureFlags\": [", lines[11]);
        assertEquals("\t\t\"HKDF\",", lines[12]);
        assertEquals("\t\t\"AESSIV\"", lines[18]);
        assertEquals("\t]", lines[19]);
        assertEquals("}", lines[20]);
        assertEquals("", lines[21]);
        assertEquals(22, lines.length);
    }

    @Test
    void wrongPassword() {
        KeyFile parsed = KeyFile.parse(json.getBytes(StandardCharsets.UTF_8));
        WrongPasswordException e = assertThrows(WrongPasswordException.class,
                () -> parsed.unlock("correct horsf".getBytes(StandardCharsets.UTF_8)));
        assertEquals("wrong password", e.getMessage());
    }

    @Test
    void longNameMaxIsStoredAsGocryptfsStoresIt() {
        try (MasterKey key = MasterKey.random()) {
            KeyFile file = KeyFile.create(key, PASSWORD, 10, "c", 100);
            String text = text(file.toJson());
            assertTrue(text.endsWith("\t\t\"AESSIV\"\n\t],\n\t\"LongNameMax\": 100\n}\n"), text);
            KeyFile parsed = KeyFile.parse(file.toJson());
            assertEquals(100, parsed.longNameMax());
            assertEquals(List.of("HKDF", "GCMIV128", "DirIV", "LongNameMax", "EMENames", "LongNames", "Raw64", "AESSIV"),
                    parsed.featureFlags());
            assertEquals(text, text(parsed.toJson()));
            assertEquals(255, KeyFile.parse(KeyFile.create(key, PASSWORD, 10, "c", 255).toJson()).longNameMax());
            assertRefusedToCreate(() -> KeyFile.create(key, PASSWORD, 10, "c", 61), "LongNameMax 61");
            assertRefusedToCreate(() -> KeyFile.create(key, PASSWORD, 9, "c"), "logN 9");
        }
    }

    private static void assertRefusedToCreate(org.junit.jupiter.api.function.Executable call, String part) {
        FormatException e = assertThrows(FormatException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void refusesOtherTrees() {
        String reverseOnly = "; panfuse reads only gocryptfs reverse-mode (AES-SIV) trees";
        assertRefused(json.replace("\"Raw64\",", "\"Raw64\",\n\t\t\"PlaintextNames\","),
                "key file has feature flag PlaintextNames" + reverseOnly);
        assertRefused(json.replace("\"Raw64\",", "\"Raw64\",\n\t\t\"XChaCha20Poly1305\","),
                "key file has feature flag XChaCha20Poly1305" + reverseOnly);
        assertRefused(json.replace("\"Raw64\",", "\"Raw64\",\n\t\t\"FIDO2\","), "key file has feature flag FIDO2" + reverseOnly);
        assertRefused(json.replace(",\n\t\t\"AESSIV\"", ""), "key file lacks feature flag AESSIV" + reverseOnly);
        assertRefused(json.replace("\t\t\"HKDF\",\n", ""), "key file lacks feature flag HKDF" + reverseOnly);
        assertRefused(json.replace("\t\t\"DirIV\",\n", ""), "key file lacks feature flag DirIV" + reverseOnly);
        assertRefused(json.replace("\"Raw64\",", "\"Raw64\",\n\t\t\"Turbo\","), "key file has unknown feature flag \"Turbo\"");
    }

    @Test
    void refusesWeakOrBrokenFiles() {
        assertRefused(json.replace("\"N\": 1024", "\"N\": 512"),
                "key file: scrypt N=512 is too weak (gocryptfs requires N >= 2^10)");
        assertRefused(json.replace("\"N\": 1024", "\"N\": 3000"), "key file: scrypt N=3000 is not a power of two");
        assertRefused(json.replace("\"R\": 8", "\"R\": 4"), "key file: scrypt R=4 is too weak (gocryptfs requires R >= 8)");
        assertRefused(json.replace("\"P\": 1", "\"P\": 0"), "key file: scrypt P=0 is too weak (gocryptfs requires P >= 1)");
        assertRefused(json.replaceFirst("\"Salt\": \"[^\"]*\"", "\"Salt\": \"" + b64(16) + "\""),
                "key file: scrypt salt of 16 bytes is too short (gocryptfs requires >= 32)");
        assertRefused(json.replace("\"Version\": 2", "\"Version\": 3"), "key file has version 3; gocryptfs's format is version 2");
        assertRefused(json.replace("\t\"Version\": 2,\n", ""), "key file has no Version");
        assertRefused(json.replaceFirst("\"EncryptedKey\": \"[^\"]*\"", "\"EncryptedKey\": \"" + b64(60) + "\""),
                "key file: EncryptedKey has 60 bytes, not 64");
        assertRefused(json.replace("\"N\": 1024", "\"N\": 1024.0"), "key file: N is not a whole number");
        assertRefused(json.replace("\"Version\": 2", "\"Version\": \"2\""), "key file: Version is not a whole number");
        assertRefused(json.replace("\"Version\": 2", "\"Version\": 70000"), "key file: Version 70000 is outside 0..65535");
        assertRefused(json.replace("\"Creator\": \"panfuse test\"", "\"Creator\": 5"), "key file: Creator is not a string");
        assertRefused(json.replace("\t\"Version\": 2,", "\t\"Version\": 2,\n\t\"LongNameMax\": 100,"),
                "key file has LongNameMax 100 but not the feature flag LongNameMax");
        assertRefused(json.replace("\"Raw64\",", "\"Raw64\",\n\t\t\"LongNameMax\","),
                "key file has feature flag LongNameMax but no LongNameMax value");
        assertRefused(json.replace("\"Raw64\",", "\"Raw64\",\n\t\t\"LongNameMax\",").replace("\t\"Version\": 2,",
                "\t\"Version\": 2,\n\t\"LongNameMax\": 40,"), "key file has LongNameMax 40; gocryptfs allows 62..255");
        assertRefused(json.replace("\t\"Version\": 2,", "\t\"Version\": 2,\n\t\"LongNameMax\": 300,"),
                "key file: LongNameMax 300 is outside 0..255");
    }

    @Test
    void refusesWhatIsNoJsonInOneLine() {
        for (String broken : new String[] {json.substring(0, json.length() / 2), "", "[]", "{\"Creator\": \"x\",}", "{} {}",
                "{'Creator': 'x'}", json.replace("\"Version\"", "Version"), "\u0000"}) {
            FormatException e = assertThrows(FormatException.class, () -> KeyFile.parse(broken.getBytes(StandardCharsets.UTF_8)),
                    broken);
            String message = e.getMessage();
            assertTrue(message.startsWith("key file"), message);
            assertFalse(message.contains("\n"), message);
            assertFalse(message.contains("Exception"), message);
            assertFalse(message.contains("com.google"), message);
        }
        assertRefused("", "key file is empty");
        assertRefused("[]", "key file: the top level is not a JSON object");
        assertTrue(assertThrows(FormatException.class, () -> KeyFile.parse("{\"a\": 1,".getBytes())).getMessage()
                .startsWith("key file is not valid JSON: "));
    }

    /** Go's decoder matches field names regardless of case, skips unknown fields and nulls. */
    @Test
    void readsLikeGo() {
        KeyFile parsed = KeyFile.parse(json.replace("\"Creator\"", "\"creator\"").replace("\"N\":", "\"n\":")
                .replace("{\n\t\"", "{\n\t\"Unknown\": [1, {\"x\": null}],\n\t\"FIDO2\": null,\n\t\"")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("panfuse test", parsed.creator());
        assertEquals(10, parsed.logN());
        assertEquals(json, text(parsed.toJson()));
    }

    @Test
    void creatorIsEscapedAsGoEscapesIt() {
        assertEquals("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\\u2028é\"", KeyFileJson.goString("a<b>&\"\\\n\u0001\u2028é"));
        try (MasterKey key = MasterKey.random()) {
            KeyFile file = KeyFile.create(key, PASSWORD, 10, "<panfuse>");
            assertTrue(text(file.toJson()).contains("\t\"Creator\": \"\\u003cpanfuse\\u003e\",\n"));
            assertEquals("<panfuse>", KeyFile.parse(file.toJson()).creator());
        }
    }

    private static String b64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    private static void assertRefused(String text, String message) {
        FormatException e = assertThrows(FormatException.class, () -> KeyFile.parse(text.getBytes(StandardCharsets.UTF_8)),
                text);
        assertEquals(message, e.getMessage());
    }
}
