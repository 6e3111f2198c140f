package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known answers that gocryptfs publishes for its example reverse tree
 * (tests/example_filesystems/v1.3-reverse, password "test"): the key file's
 * values, the master key they unlock, the encrypted path of dir1/dir2/file and
 * the MD5 of that file's encrypted form (10,000 zero bytes), and the encrypted
 * forms of "." and ".." in the root, which must not decrypt to a usable name.
 */
class PublishedReverseTreeTest {
    private static final String CONF = """
            {
            	"Creator": "gocryptfs v1.3",
            	"EncryptedKey": "o6yhOpoaToWqs7iZMgx2J+dmrRcL8TOjqd7ntlqy4Y/g/ygNRADJXGITtEIDukf7FbGyn2JNZtWs/4ZOgLNmYw==",
            	"ScryptObject": {
            		"Salt": "8a64zpm0vXFg9uretHuwbxijzQmx2QF4hKOYM0yK/S8=",
            		"N": 65536,
            		"R": 8,
            		"P": 1,
            		"KeyLen": 32
            	},
            	"Version": 2,
            	"FeatureFlags": [
            		"GCMIV128",
            		"HKDF",
            		"DirIV",
            		"EMENames",
            		"LongNames",
            		"Raw64",
            		"AESSIV"
            	]
            }
            """;
    private static final String MASTER_KEY = "2290a7f4-3e1908fb-b006f7d9-261bdaf1-4b72bc38-3b24956c-db7d8a8d-d996076a";
    private static MasterKey key;

    @BeforeAll
    static void unlock() {
        KeyFile file = KeyFile.parse(CONF.getBytes(StandardCharsets.UTF_8));
        assertEquals(CONF, new String(file.toJson(), StandardCharsets.UTF_8), "written back byte for byte, flag order kept");
        assertEquals(16, file.logN());
        key = file.unlock("test".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void close() {
        key.close();
    }

    @Test
    void unlocksToThePublishedMasterKey() {
        assertEquals(MASTER_KEY, key.paperForm());
    }

    @Test
    void namesAndContentOfDir1Dir2File() throws Exception {
        NameCipher names = key.nameCipher(255);
        String dir1 = names.encrypt(ascii("dir1"), PathIv.derive("", PathIv.DIRIV));
        String dir2 = names.encrypt(ascii("dir2"), PathIv.derive(dir1, PathIv.DIRIV));
        String file = names.encrypt(ascii("file"), PathIv.derive(dir1 + "/" + dir2, PathIv.DIRIV));
        String path = dir1 + "/" + dir2 + "/" + file;
        assertEquals("zOsW1-BUX54hC2hmhu2EOw/4ZqrpGQdw5r07KR1qw2ZeQ/tfCm9Sp9J_Dvc-jD7J6p8g", path);

        byte[] plain = new byte[10_000];
        byte[] stored = new byte[(int) ContentCipher.cipherSize(plain.length)];
        byte[] fileId = PathIv.derive(path, PathIv.FILEID);
        byte[] block0 = PathIv.derive(path, PathIv.BLOCK0IV);
        ContentCipher.header(fileId, stored, 0);
        byte[] nonce = new byte[16];
        try (ContentCipher content = key.contentCipher()) {
            BlockCipher blocks = content.newBlockCipher();
            for (int b = 0; b * 4096 < plain.length; b++) {
                int length = Math.min(4096, plain.length - b * 4096);
                PathIv.blockIv(block0, b, nonce);
                blocks.encrypt(plain, b * 4096, length, b, fileId, nonce, stored, 18 + b * 4128);
            }
            assertEquals("9818501d214c5eb42ca2472caf6c82a1",
                    HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(stored)));

            byte[] back = new byte[4096];
            assertArrayEquals(fileId, ContentCipher.parseHeader(stored, 0));
            assertEquals(10_000 - 8192, blocks.decrypt(stored, 18 + 2 * 4128, stored.length - 18 - 2 * 4128, 2, fileId, back, 0));
        }
    }

    @Test
    void dotAndDotDotDoNotDecrypt() {
        NameCipher names = key.nameCipher(255);
        byte[] rootIv = PathIv.derive("", PathIv.DIRIV);
        for (String dots : new String[] {"kkmARPseVj4XQFW-EL42-w", "D8VwRPqWW8x7M5OEoMs0Eg"}) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> names.decrypt(dots, rootIv));
            assertTrue(e.getMessage().contains("\".\" or \"..\""), e.getMessage());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
