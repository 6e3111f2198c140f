package org.panfuse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.panfuse.fs.tree.Excludes;
import org.panfuse.fs.tree.SourceSpec;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A configuration file for {@code panfuse mount --config FILE}: mount
 * options as top-level keys (the command line's names with '_' for '-'),
 * and one {@code [[source]]} table per directory.
 *
 * <pre>
 * read_only = true
 * cache = "auto"
 *
 * [[source]]
 * name = "etc"                 # the entry under the mountpoint
 * path = "/etc"
 * exclude = ["*.swp", "/shadow*"]
 * one_file_system = true
 * </pre>
 *
 * Every mistake is reported as {@code FILE:LINE: what is wrong}, one line.
 * Relative paths are taken from the file's directory.
 */
final class MountConfig {
    /** The mount options a config may set: key, and what its value must be. */
    private static final Map<String, String> OPTION_KEYS = new LinkedHashMap<>();

    static {
        OPTION_KEYS.put("mountpoint", "a path");
        OPTION_KEYS.put("read_only", "true or false");
        OPTION_KEYS.put("allow_other", "true or false");
        OPTION_KEYS.put("cache", "\"never\", \"auto\" or \"always\"");
        OPTION_KEYS.put("direct_io", "true or false");
        OPTION_KEYS.put("writeback_cache", "true or false");
        OPTION_KEYS.put("splice", "true or false");
        OPTION_KEYS.put("passthrough", "\"auto\", \"always\" or \"never\"");
        OPTION_KEYS.put("threads", "a whole number");
        OPTION_KEYS.put("single_threaded", "true or false");
        OPTION_KEYS.put("clone_fd", "true or false");
        OPTION_KEYS.put("fd_cache", "a whole number");
        OPTION_KEYS.put("debug", "true or false");
        OPTION_KEYS.put("clear_stale", "true or false");
        OPTION_KEYS.put("encrypt", "true or false");
        OPTION_KEYS.put("key_file", "a path");
        OPTION_KEYS.put("options", "a list of mount options, e.g. [\"noatime\"]");
        OPTION_KEYS.put("source", "[[source]] tables");
    }

    private static final Set<String> SOURCE_KEYS = Set.of("name", "path", "read_only", "exclude", "one_file_system");

    final Path file;
    /** The mount options the file sets, by key (values: Boolean, Long, String, or List of String). */
    final Map<String, Object> options = new LinkedHashMap<>();
    final List<SourceSpec> sources = new ArrayList<>();
    /** The line each source's table begins on, for errors found later (the mountpoint inside one). */
    final List<Integer> sourceLines = new ArrayList<>();
    /** The file's modification time: the view's root is dated by it. */
    final FileTime modified;

    private MountConfig(Path file, FileTime modified) {
        this.file = file;
        this.modified = modified;
    }

    /** Reads and checks {@code file}; any mistake is a {@link UserError} naming the file and line. */
    static MountConfig read(Path file) {
        String text;
        FileTime modified;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            modified = Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("config file " + file + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw UserError.usage("config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UserError("config file " + file + " cannot be read: " + e.getMessage());
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var first = toml.errors().get(0);
            throw UserError.usage(file + ":" + first.position().line() + ": " + first.getMessage());
        }
        MountConfig c = new MountConfig(file, modified);
        c.readOptions(toml);
        c.readSources(toml);
        return c;
    }

    private UserError error(TomlPosition at, String message) {
        return UserError.usage(file + ":" + (at == null ? "?" : at.line()) + ": " + message);
    }

    private void readOptions(TomlTable toml) {
        for (String key : toml.keySet()) {
            String expected = OPTION_KEYS.get(key);
            TomlPosition at = toml.inputPositionOf(key);
            if (expected == null) {
                throw error(at, "unknown key '" + key + "' (keys: " + String.join(", ", OPTION_KEYS.keySet()) + ")");
            }
            Object value = toml.get(key);
            if (key.equals("source")) {
                continue;
            }
            boolean ok = switch (expected) {
                case "true or false" -> value instanceof Boolean;
                case "a whole number" -> value instanceof Long;
                case "a path" -> value instanceof String s && !s.isEmpty();
                default -> key.equals("options") ? value instanceof TomlArray a && allStrings(a) : value instanceof String;
            };
            if (!ok) {
                throw error(at, key + " must be " + expected);
            }
            if (value instanceof TomlArray a) {
                value = a.toList().stream().map(String.class::cast).toList();
            } else if (key.equals("mountpoint") || key.equals("key_file")) {
                value = resolve((String) value);
            }
            options.put(key, value);
        }
    }

    private static boolean allStrings(TomlArray a) {
        return a.toList().stream().allMatch(String.class::isInstance);
    }

    private Path resolve(String path) {
        Path p = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }

    private void readSources(TomlParseResult toml) {
        Object list = toml.get("source");
        if (list == null) {
            throw UserError.usage(file + ": no [[source]] table: say which directories to mount");
        }
        if (!(list instanceof TomlArray array) || !array.toList().stream().allMatch(TomlTable.class::isInstance)) {
            throw error(toml.inputPositionOf("source"), "source must be [[source]] tables");
        }
        Map<String, Integer> names = new LinkedHashMap<>();
        List<Path> realPaths = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            TomlTable t = array.getTable(i);
            TomlPosition at = array.inputPositionOf(i);
            for (String key : t.keySet()) {
                if (!SOURCE_KEYS.contains(key)) {
                    throw error(t.inputPositionOf(key), "unknown key '" + key + "' in [[source]] (keys: name, path, "
                            + "read_only, exclude, one_file_system)");
                }
            }
            String name = string(t, "name", at);
            checkName(name, t.inputPositionOf("name"));
            Integer earlier = names.putIfAbsent(name, lineOf(at));
            if (earlier != null) {
                throw error(t.inputPositionOf("name"), "a second source named '" + name + "' (the first is on line "
                        + earlier + ")");
            }
            TomlPosition pathAt = t.inputPositionOf("path");
            Path path = resolve(string(t, "path", at));
            Path real = realDirectory(path, pathAt);
            for (int j = 0; j < realPaths.size(); j++) {
                Path other = realPaths.get(j);
                if (real.startsWith(other) || other.startsWith(real)) {
                    throw error(pathAt, "source '" + name + "' (" + real + ") and source '" + sources.get(j).name()
                            + "' (" + other + ") overlap: one lies inside the other");
                }
            }
            List<String> excludes = new ArrayList<>();
            if (t.contains("exclude")) {
                Object v = t.get("exclude");
                if (!(v instanceof TomlArray a) || !allStrings(a)) {
                    throw error(t.inputPositionOf("exclude"), "exclude must be a list of patterns, e.g. [\"*.tmp\"]");
                }
                for (Object p : a.toList()) {
                    try {
                        Excludes.check((String) p);
                    } catch (IllegalArgumentException e) {
                        throw error(t.inputPositionOf("exclude"), e.getMessage());
                    }
                    excludes.add((String) p);
                }
            }
            sources.add(new SourceSpec(name, path, bool(t, "read_only"), excludes, bool(t, "one_file_system")));
            sourceLines.add(lineOf(at));
            realPaths.add(real);
        }
    }

    private static int lineOf(TomlPosition at) {
        return at == null ? 0 : at.line();
    }

    private String string(TomlTable t, String key, TomlPosition table) {
        if (!t.contains(key)) {
            throw error(table, "[[source]] without " + key);
        }
        if (!(t.get(key) instanceof String s)) {
            throw error(t.inputPositionOf(key), key + " must be a string");
        }
        return s;
    }

    private boolean bool(TomlTable t, String key) {
        if (!t.contains(key)) {
            return false;
        }
        if (!(t.get(key) instanceof Boolean b)) {
            throw error(t.inputPositionOf(key), key + " must be true or false");
        }
        return b;
    }

    /** A name is one entry of a directory: not empty, not "." or "..", no '/', no NUL, at most 255 bytes. */
    private void checkName(String name, TomlPosition at) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw error(at, "source name '" + name + "' cannot be an entry of a directory");
        }
        if (name.contains("/") || name.indexOf('\0') >= 0) {
            throw error(at, "source name '" + name + "' contains '/' or NUL: it must be one directory entry");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw error(at, "source name '" + name + "' is longer than 255 bytes");
        }
    }

    private Path realDirectory(Path path, TomlPosition at) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(file + ":" + lineOf(at) + ": source path " + path + " does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError(file + ":" + lineOf(at) + ": source path " + path + " cannot be reached (permission denied)");
        } catch (IOException e) {
            throw new UserError(file + ":" + lineOf(at) + ": source path " + path + " cannot be read: " + e.getMessage());
        }
        if (!Files.isDirectory(real)) {
            throw new UserError(file + ":" + lineOf(at) + ": source path " + path + " is not a directory");
        }
        if (!Files.isReadable(real) || !Files.isExecutable(real)) {
            throw new UserError(file + ":" + lineOf(at) + ": source path " + path + " is not readable (permission denied)");
        }
        return real;
    }
}
