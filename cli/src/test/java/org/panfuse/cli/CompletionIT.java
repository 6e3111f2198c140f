package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code panfuse completion}: a script bash accepts, whose completion
 * function (called as bash calls it on TAB) offers the subcommands, their
 * options, enum values in lower case, and files where a path is wanted.
 */
class CompletionIT {
    private Path dir;
    private Path script;

    @BeforeEach
    void generate() throws Exception {
        dir = Files.createTempDirectory("panfuse-completion-");
        JarProcess.Result r = JarProcess.run("completion");
        assertEquals(0, r.exit(), r.output());
        script = Files.writeString(dir.resolve("panfuse"), r.output());
    }

    @AfterEach
    void cleanUp() throws Exception {
        Files.deleteIfExists(script);
        Files.deleteIfExists(dir.resolve("a-file"));
        Files.deleteIfExists(dir);
    }

    /**
     * What bash would offer for the words typed so far (the last one being
     * completed). compopt works only inside a completion bash itself started:
     * here it is a no-op, as the options it sets change nothing offered.
     */
    private String complete(String... words) throws Exception {
        StringBuilder quoted = new StringBuilder();
        for (String w : words) {
            quoted.append(" '").append(w).append('\'');
        }
        return Sh.ok(dir, "exec bash -c 'source \"$0\"; compopt() { :; };"
                + " COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));"
                + " COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_panfuse;"
                + " echo \"${COMPREPLY[*]}\"' '" + script + "'" + quoted).strip();
    }

    @Test
    void theScriptIsBashAndRegistersItsFunction() throws Exception {
        Sh.ok(dir, "bash -n '" + script + "'");
        assertEquals("complete -o default -F _complete_panfuse panfuse",
                Sh.ok(dir, "bash -c 'source \"$0\"; complete -p panfuse' '" + script + "'").strip());
    }

    @Test
    void subcommandsOptionsAndValuesComplete() throws Exception {
        assertEquals("mount", complete("panfuse", "mo"));
        assertEquals("unmount", complete("panfuse", "un"));
        assertEquals("list", complete("panfuse", "li"));
        for (String sub : new String[] {"mount", "init", "restore", "unmount", "umount", "list", "completion"}) {
            assertTrue((" " + complete("panfuse", "") + " ").contains(" " + sub + " "), sub);
        }
        assertEquals("--no-lazy", complete("panfuse", "unmount", "--no"));
        assertEquals("--json", complete("panfuse", "list", "--j"));
        assertEquals("never auto always", complete("panfuse", "mount", "--cache", ""));
        assertEquals("--passthrough", complete("panfuse", "mount", "--passt"));
    }

    @Test
    void pathsCompleteAsFiles() throws Exception {
        Files.writeString(dir.resolve("a-file"), "");
        assertEquals(dir.resolve("a-file").toString(), complete("panfuse", "unmount", dir + "/a-f"));
    }
}
