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

    /** Throws IllegalArgumentException if {@code pattern} is not one valid gitignore pattern. */
    public static void check(String pattern) {
        if (pattern.isBlank() || pattern.contains("\n") || pattern.contains("\0")) {
            throw new IllegalArgumentException("exclude pattern '" + pattern + "' is empty or spans lines");
        }
        // JGit turns a pattern it cannot parse (and a "#" comment) into a rule that matches nothing.
        if (new FastIgnoreRule(pattern).isEmpty()) {
            throw new IllegalArgumentException("exclude pattern '" + pattern + "' is not a valid gitignore pattern");
        }
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public List<String> patterns() {
        return patterns;
    }

    /**
     * True if the entry at {@code relativePath} (inside the source, '/'-separated,
     * no leading '/') is excluded. The caller checks each level: an excluded
     * directory is never entered, so what lies below it is never asked about.
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
