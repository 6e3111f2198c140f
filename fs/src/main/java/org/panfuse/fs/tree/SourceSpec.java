package org.panfuse.fs.tree;

import java.nio.file.Path;
import java.util.List;

/**
 * One source directory of a view, as configured.
 *
 * @param name          the entry under the view's root (unused for a single-source view)
 * @param path          the directory
 * @param readOnly      nothing under it may be changed through the view (EROFS); reads leave atime alone
 * @param excludes      gitignore-style patterns, relative to {@code path}: matches are neither listed nor found
 * @param oneFileSystem stop at mount points inside {@code path}: they show as empty directories
 */
public record SourceSpec(String name, Path path, boolean readOnly, List<String> excludes, boolean oneFileSystem) {
    /** Copies {@code excludes} (unmodifiable); the patterns are checked when the source is opened. */
    public SourceSpec {
        excludes = List.copyOf(excludes);
    }

    /**
     * {@return a source with nothing excluded, read-write, crossing mount points}
     *
     * @param name the entry under the view's root (null for a single-source view)
     * @param path the directory
     */
    public static SourceSpec of(String name, Path path) {
        return new SourceSpec(name, path, false, List.of(), false);
    }
}
