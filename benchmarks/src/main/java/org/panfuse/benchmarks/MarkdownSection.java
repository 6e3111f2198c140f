package org.panfuse.benchmarks;

import java.nio.file.Path;

/**
 * Replaces the text between {@code <!-- NAME:begin -->} and
 * {@code <!-- NAME:end -->} in a markdown file: run.sh's way to refresh the
 * generated parts of RESULTS.md and leave the written analysis alone.
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.MarkdownSection FILE NAME TEXT</pre>
 */
public final class MarkdownSection {
    private MarkdownSection() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: MarkdownSection FILE NAME TEXT");
        }
        String text = args[2].endsWith("\n") ? args[2] : args[2] + "\n";
        ResultsTable.replaceBetweenMarkers(Path.of(args[0]), "<!-- " + args[1] + ":begin -->",
                "<!-- " + args[1] + ":end -->", text);
    }
}
