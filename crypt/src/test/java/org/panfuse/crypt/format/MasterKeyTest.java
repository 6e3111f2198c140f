package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
    private static final String HEX = "2290a7f43e1908fbb006f7d9261bdaf14b72bc383b24956cdb7d8a8dd996076a";
    private static final String PAPER = "2290a7f4-3e1908fb-b006f7d9-261bdaf1-4b72bc38-3b24956c-db7d8a8d-d996076a";

    @Test
    void paperFormIsEightGroupsOfEight() {
        try (MasterKey key = MasterKey.copyOf(HexFormat.of().parseHex(HEX))) {
            assertEquals(PAPER, key.paperForm());
        }
        try (MasterKey key = MasterKey.random()) {
            assertTrue(key.paperForm().matches("[0-9a-f]{8}(-[0-9a-f]{8}){7}"), key.paperForm());
        }
    }

    /** As gocryptfs -init shows it (a line break after the fourth group), as xray prints it, in capitals. */
    @Test
    void parsesEveryWayGocryptfsWritesIt() {
        for (String form : new String[] {PAPER, HEX, HEX.toUpperCase(),
                "2290a7f4-3e1908fb-b006f7d9-261bdaf1-\n    4b72bc38-3b24956c-db7d8a8d-d996076a", " " + PAPER + "\n"}) {
            try (MasterKey key = MasterKey.parse(form)) {
                assertEquals(PAPER, key.paperForm(), form);
                assertArrayEquals(HexFormat.of().parseHex(HEX), key.copyBytes());
            }
        }
    }

    @Test
    void refusesOtherTextWithoutRepeatingIt() {
        for (String bad : new String[] {"", PAPER.substring(0, 70), PAPER + "-00", PAPER.replace('a', 'g'),
                PAPER.replace('2', '\u0662')}) {
            FormatException e = assertThrows(FormatException.class, () -> MasterKey.parse(bad), bad);
            assertFalse(e.getMessage().contains("2290a7f4"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertTrue(e.getMessage().startsWith("a master key has"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> MasterKey.copyOf(new byte[31]));
    }

    @Test
    void closeWipesAndForbidsUse() {
        MasterKey key = MasterKey.random();
        key.close();
        key.close();
        assertThrows(IllegalStateException.class, key::paperForm);
        assertThrows(IllegalStateException.class, key::contentCipher);
        assertThrows(IllegalStateException.class, () -> key.nameCipher(255));
    }

    @Test
    void randomKeysDiffer() {
        try (MasterKey a = MasterKey.random(); MasterKey b = MasterKey.random()) {
            assertNotEquals(a.paperForm(), b.paperForm());
        }
    }

    @Test
    void copyOfCopies() {
        byte[] bytes = HexFormat.of().parseHex(HEX);
        try (MasterKey key = MasterKey.copyOf(bytes)) {
            bytes[0] = 0;
            assertEquals(PAPER, key.paperForm());
        }
    }
}
