package org.panfuse.fs.tree;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * A source's exclude patterns, with gitignore's syntax and meaning (as
 * restic's --exclude and gocryptfs's -exclude-wildcard take them): "*.tmp"
 * anywhere, "/cache" at the source's top only, "logs/" directories only,
 * "**" across directories, "!keep" to take back an earlier match. Matched by
 * JGit's implementation of gitignore.
 */
public final class Excludes {
    static final Excludes NONE = new Excludes(List.of());

    private final List<String> patterns;
    private final IgnoreNode rules;

    private Excludes(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        List<FastIgnoreRule> parsed = new ArrayList<>();
        for (String p : patterns) {
            FastIgnoreRule rule = new FastIgnoreRule(p);
            if (!rule.isEmpty()) {
                parsed.add(rule);
            }
        }
        this.rules = new IgnoreNode(parsed);
    }

    /**
     * Compiles {@code patterns}.
     *
     * @param patterns gitignore patterns, one per element, in order (a later "!" pattern takes back an
     *                 earlier match)
     * @return the compiled excludes (a shared empty one for no patterns)
     * @throws IllegalArgumentException naming the first pattern that is not valid gitignore syntax
     */
    public static Excludes of(List<String> patterns) {
        if (patterns.isEmpty()) {
            return NONE;
        }
        for (String p : patterns) {
            check(p);
        }
        return new Excludes(patterns);
    }

    /**
     * Checks that {@code pattern} is one valid gitignore pattern.
     *
     * @param pattern the pattern
     * @throws IllegalArgumentException if it is blank, spans lines, holds NUL, is a comment, or does not parse
     */
    public static void check(String pattern) {
        if (pattern.isBlank() || pattern.contains("\n") || pattern.contains("\0")) {
            throw new IllegalArgumentException("exclude pattern '" + pattern + "' is empty or spans lines");
        }
        // JGit turns a pattern it cannot parse (and a "#" comment) into a rule that matches nothing.
        if (new FastIgnoreRule(pattern).isEmpty()) {
            throw new IllegalArgumentException("exclude pattern '" + pattern + "' is not a valid gitignore pattern");
        }
    }

    /** {@return true if there are no patterns: nothing is excluded} */
    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** {@return the patterns, as given (unmodifiable)} */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * True if the entry at {@code relativePath} (inside the source, '/'-separated,
     * no leading '/') is excluded. The caller checks each level: an excluded
     * directory is never entered, so what lies below it is never asked about.
     *
     * @param relativePath the entry's path inside the source
     * @param directory    whether the entry is a directory (patterns ending in '/' match directories only)
     * @return true if it is excluded
     */
    public boolean excludes(String relativePath, boolean directory) {
        Boolean ignored = rules.checkIgnored(relativePath, directory);
        return ignored != null && ignored;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
