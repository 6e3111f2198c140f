package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * gocryptfs's own reverse mount as the oracle: a plaintext tree is mounted by
 * gocryptfs -reverse, and every byte it shows (names, gocryptfs.diriv, long
 * names and their .name files, file contents, symlink targets, sizes, the key
 * file) must be what panfuse's format code computes from the plaintext, the
 * master key and the encrypted paths; and every encrypted name and content must
 * decrypt back. No panfuse mount is involved.
 */
class GocryptfsReverseMountTest {
    private static final String PASSWORD = "oracle";

    /** Who writes the key file, and with which LongNameMax. */
    enum KeySource { GOCRYPTFS_INIT, PANFUSE_CREATE, GOCRYPTFS_INIT_LONGNAMEMAX_62 }

    @BeforeAll
    static void installed() {
        GocryptfsBinary.requireInstalled();
    }

    @ParameterizedTest
    @EnumSource(KeySource.class)
    void gocryptfsShowsWhatPanfuseComputes(KeySource source, @TempDir Path dir) throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Path mount = Files.createDirectory(dir.resolve("mount"));
        Path passfile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        plaintextTree(plain);

        MasterKey key = switch (source) {
            case GOCRYPTFS_INIT -> MasterKey.parse(GocryptfsBinary.initReverse(plain, passfile));
            case GOCRYPTFS_INIT_LONGNAMEMAX_62 -> MasterKey.parse(GocryptfsBinary.initReverse(plain, passfile, "-longnamemax", "62"));
            case PANFUSE_CREATE -> {
                MasterKey created = MasterKey.random();
                Files.write(plain.resolve(KeyFile.REVERSE_NAME),
                        KeyFile.create(created, PASSWORD.getBytes(StandardCharsets.UTF_8), 10, "panfuse test").toJson());
                yield created;
            }
        };
        KeyFile keyFile = KeyFile.parse(Files.readAllBytes(plain.resolve(KeyFile.REVERSE_NAME)));
        try (key; MasterKey unlocked = keyFile.unlock(PASSWORD.getBytes(StandardCharsets.UTF_8));
             ContentCipher content = key.contentCipher()) {
            assertEquals(key.paperForm(), unlocked.paperForm());
            Oracle oracle = new Oracle(key.nameCipher(keyFile.longNameMax()), content);
            GocryptfsBinary.mountReverse(plain, mount, passfile);
            try {
                assertArrayEquals(Files.readAllBytes(plain.resolve(KeyFile.REVERSE_NAME)),
                        Files.readAllBytes(mount.resolve(KeyFile.NAME)));
                oracle.compareDirectory(plain, mount, "");
                assertTrue(oracle.longNames > 0 && oracle.files > 5 && oracle.symlinks >= 3,
                        "the tree exercised long names, files and symlinks");
            } finally {
                GocryptfsBinary.unmount(mount);
            }
        }
    }

    /** Files of sizes around the block edges, names around the long-name edge, symlinks in short and long directories. */
    private static void plaintextTree(Path plain) throws IOException {
        Random random = new Random(4096);
        Files.writeString(plain.resolve("a.txt"), "hello world\n");
        Files.createFile(plain.resolve("empty"));
        for (int size : new int[] {1, 4095, 4096, 4097, 10_000}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Files.write(plain.resolve("size" + size + ".bin"), bytes);
        }
        Files.write(plain.resolve("zeros"), new byte[8192]);
        Files.writeString(plain.resolve("x".repeat(175)), "175 bytes of name: 235 encrypted, not hashed at 255");
        Files.writeString(plain.resolve("y".repeat(176)), "176 bytes of name: 256 encrypted, hashed");
        Files.writeString(plain.resolve("z".repeat(255)), "the longest name");
        Files.writeString(plain.resolve("grüße € \u65e5\u672c.txt"), "unicode");
        Files.writeString(plain.resolve("sp ace;&$'\"\\ ..."), "odd bytes");
        Files.writeString(plain.resolve(".hidden"), "dot file");
        Path sub = Files.createDirectory(plain.resolve("sub"));
        Files.writeString(sub.resolve("inner.txt"), "inside");
        Files.createSymbolicLink(sub.resolve("link"), Path.of("../a.txt"));
        Files.createSymbolicLink(sub.resolve("abs"), Path.of("/etc/hostname"));
        Path deeper = Files.createDirectories(sub.resolve("deeper/still"));
        Files.writeString(deeper.resolve("f"), "deep");
        Path longDir = Files.createDirectory(plain.resolve("d".repeat(200)));
        Files.writeString(longDir.resolve("file.txt"), "in a directory with a hashed name");
        Files.createSymbolicLink(longDir.resolve("L".repeat(180)), Path.of("t".repeat(1000)));
        Files.createDirectory(plain.resolve("emptydir"));
    }

    private static final class Oracle {
        final NameCipher names;
        final ContentCipher content;
        final BlockCipher blocks;
        int files;
        int symlinks;
        int longNames;

        Oracle(NameCipher names, ContentCipher content) {
            this.names = names;
            this.content = content;
            this.blocks = content.newBlockCipher();
        }

        void compareDirectory(Path plainDir, Path mountDir, String encryptedDir) throws Exception {
            byte[] dirIv = PathIv.derive(encryptedDir, PathIv.DIRIV);
            assertArrayEquals(dirIv, Files.readAllBytes(mountDir.resolve(NameCipher.DIRIV_NAME)), "DirIV of /" + encryptedDir);

            Set<String> expected = new TreeSet<>();
            expected.add(NameCipher.DIRIV_NAME);
            if (encryptedDir.isEmpty()) {
                expected.add(KeyFile.NAME);
            }
            Set<String> plainNames = new TreeSet<>();
            try (Stream<Path> entries = Files.list(plainDir)) {
                for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
                    String plainName = entry.getFileName().toString();
                    if (encryptedDir.isEmpty() && plainName.equals(KeyFile.REVERSE_NAME)) {
                        continue;
                    }
                    plainNames.add(plainName);
                    byte[] nameBytes = plainName.getBytes(StandardCharsets.UTF_8);
                    String encrypted = names.encrypt(nameBytes, dirIv);
                    String disk = names.diskName(encrypted);
                    expected.add(disk);
                    if (names.isLong(encrypted)) {
                        longNames++;
                        expected.add(disk + NameCipher.LONGNAME_SUFFIX);
                        assertEquals(encrypted, Files.readString(mountDir.resolve(disk + NameCipher.LONGNAME_SUFFIX)));
                    }
                    String encryptedPath = encryptedDir.isEmpty() ? disk : encryptedDir + "/" + disk;
                    Path shown = mountDir.resolve(disk);
                    if (Files.isSymbolicLink(entry)) {
                        compareSymlink(entry, shown, encryptedPath, disk);
                    } else if (Files.isDirectory(entry)) {
                        compareDirectory(entry, shown, encryptedPath);
                    } else {
                        compareFile(entry, shown, encryptedPath);
                    }
                }
            }

            Set<String> listed = new TreeSet<>();
            try (Stream<Path> entries = Files.list(mountDir)) {
                entries.forEach(p -> listed.add(p.getFileName().toString()));
            }
            assertEquals(expected, listed, "listing of /" + encryptedDir);

            // And back: every listed name decrypts to a plaintext name of this directory.
            Set<String> decrypted = new TreeSet<>();
            for (String disk : listed) {
                if (disk.equals(NameCipher.DIRIV_NAME) || disk.equals(KeyFile.NAME) || NameCipher.isNameFile(disk)) {
                    continue;
                }
                String encrypted = NameCipher.isLongContent(disk)
                        ? Files.readString(mountDir.resolve(disk + NameCipher.LONGNAME_SUFFIX)) : disk;
                decrypted.add(new String(names.decrypt(encrypted, dirIv), StandardCharsets.UTF_8));
            }
            assertEquals(plainNames, decrypted, "names of /" + encryptedDir + " decrypted");
        }

        void compareFile(Path plainFile, Path shown, String encryptedPath) throws Exception {
            files++;
            byte[] plain = Files.readAllBytes(plainFile);
            byte[] fileId = PathIv.derive(encryptedPath, PathIv.FILEID);
            byte[] block0 = PathIv.derive(encryptedPath, PathIv.BLOCK0IV);
            byte[] expected = new byte[(int) ContentCipher.cipherSize(plain.length)];
            byte[] nonce = new byte[16];
            if (plain.length > 0) {
                ContentCipher.header(fileId, expected, 0);
                for (int b = 0; b * ContentCipher.PLAIN_BLOCK < plain.length; b++) {
                    int length = Math.min(ContentCipher.PLAIN_BLOCK, plain.length - b * ContentCipher.PLAIN_BLOCK);
                    PathIv.blockIv(block0, b, nonce);
                    blocks.encrypt(plain, b * ContentCipher.PLAIN_BLOCK, length, b, fileId, nonce, expected,
                            ContentCipher.HEADER_LENGTH + b * ContentCipher.CIPHER_BLOCK);
                }
            }
            byte[] actual = Files.readAllBytes(shown);
            assertArrayEquals(expected, actual, "content of " + encryptedPath);
            assertEquals(expected.length, Files.size(shown), "size of " + encryptedPath);
            assertEquals(plain.length, ContentCipher.plainSize(actual.length));

            // And back, block by block, with the ID read from the header.
            if (actual.length > 0) {
                byte[] id = ContentCipher.parseHeader(actual, 0);
                byte[] back = new byte[plain.length];
                byte[] block = new byte[ContentCipher.PLAIN_BLOCK];
                for (int b = 0, at = ContentCipher.HEADER_LENGTH; at < actual.length; b++, at += ContentCipher.CIPHER_BLOCK) {
                    int n = blocks.decrypt(actual, at, Math.min(ContentCipher.CIPHER_BLOCK, actual.length - at), b, id, block, 0);
                    System.arraycopy(block, 0, back, b * ContentCipher.PLAIN_BLOCK, n);
                }
                assertArrayEquals(plain, back);
            }
        }

        /**
         * gocryptfs 2.3's readlink derives the nonce from the link's encrypted path
         * joined with its own name once more ("sub/link/link"): Readlink passes the
         * node's name to a helper that joins it to the node's own path again.
         */
        void compareSymlink(Path plainLink, Path shown, String encryptedPath, String disk) throws Exception {
            symlinks++;
            byte[] target = Files.readSymbolicLink(plainLink).toString().getBytes(StandardCharsets.UTF_8);
            String actual = Files.readSymbolicLink(shown).toString();
            byte[] nonce = PathIv.derive(encryptedPath + "/" + disk, PathIv.SYMLINKIV);
            assertEquals(content.encryptSymlink(target, nonce), actual, "target of " + encryptedPath);
            assertArrayEquals(target, content.decryptSymlink(actual));
            // lstat's size is the encrypted target's length (gocryptfs computes it with the other path; same length).
            assertEquals(actual.length(), Files.readAttributes(shown, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).size());
            assertTrue(Arrays.equals(nonce, Arrays.copyOf(java.util.Base64.getUrlDecoder().decode(actual), 16)));
        }
    }
}
