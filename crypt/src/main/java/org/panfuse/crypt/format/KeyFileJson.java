package org.panfuse.crypt.format;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of a key file, read as Go's encoding/json reads gocryptfs's
 * ConfFile struct and written byte for byte as json.MarshalIndent(cf, "", "\t")
 * plus a newline writes it. Reading follows Go: field names match regardless
 * of case, unknown fields and nulls are ignored, []byte is standard base64,
 * integers must be whole numbers in their Go type's range. The values are not
 * checked here; {@link KeyFile#parse} does that.
 */
final class KeyFileJson {
    /** Where Gson says it stopped: "... at line L column C path $.x". */
    private static final Pattern WHERE = Pattern.compile("(.*?)\\s*at line (\\d+) column (\\d+).*");

    private KeyFileJson() {
    }

    /** The fields, or FormatException if the text is not JSON or a field has the wrong type. */
    static KeyFile read(byte[] json) {
        if (json.length == 0) {
            throw new FormatException("key file is empty");
        }
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(new String(json, StandardCharsets.UTF_8)));
            reader.setStrictness(Strictness.STRICT);
            root = new Gson().getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new FormatException("key file is not valid JSON: text after the object");
            }
        } catch (IOException | JsonParseException | IllegalStateException malformed) {
            throw new FormatException("key file is not valid JSON: " + parserComplaint(malformed));
        }
        Map<String, JsonElement> fields = fields(root, "the top level");
        String creator = string(fields, "Creator");
        byte[] encryptedKey = bytes(fields, "EncryptedKey");
        Map<String, JsonElement> scrypt = fields.containsKey("scryptobject")
                ? fields(fields.get("scryptobject"), "ScryptObject") : Map.of();
        ScryptParams params = new ScryptParams(bytes(scrypt, "Salt"), integer(scrypt, "N", Long.MIN_VALUE, Long.MAX_VALUE),
                integer(scrypt, "R", Long.MIN_VALUE, Long.MAX_VALUE), integer(scrypt, "P", Long.MIN_VALUE, Long.MAX_VALUE),
                integer(scrypt, "KeyLen", Long.MIN_VALUE, Long.MAX_VALUE));
        int version = (int) integer(fields, "Version", 0, 0xffff);
        List<String> flags = strings(fields, "FeatureFlags");
        int longNameMax = (int) integer(fields, "LongNameMax", 0, 0xff);
        return new KeyFile(creator, encryptedKey, params, version, flags, longNameMax);
    }

    /** Go's MarshalIndent layout: tabs, ": ", fields in struct order, FIDO2 and a zero LongNameMax left out. */
    static byte[] write(KeyFile file) {
        Base64.Encoder base64 = Base64.getEncoder();
        ScryptParams scrypt = file.scrypt();
        StringBuilder out = new StringBuilder(512);
        out.append("{\n");
        out.append("\t\"Creator\": ").append(goString(file.creator())).append(",\n");
        out.append("\t\"EncryptedKey\": \"").append(base64.encodeToString(file.encryptedKey())).append("\",\n");
        out.append("\t\"ScryptObject\": {\n");
        out.append("\t\t\"Salt\": \"").append(base64.encodeToString(scrypt.salt)).append("\",\n");
        out.append("\t\t\"N\": ").append(scrypt.n).append(",\n");
        out.append("\t\t\"R\": ").append(scrypt.r).append(",\n");
        out.append("\t\t\"P\": ").append(scrypt.p).append(",\n");
        out.append("\t\t\"KeyLen\": ").append(scrypt.keyLength).append('\n');
        out.append("\t},\n");
        out.append("\t\"Version\": ").append(file.version()).append(",\n");
        out.append("\t\"FeatureFlags\": ");
        List<String> flags = file.featureFlags();
        if (flags.isEmpty()) {
            out.append("[]");
        } else {
            out.append("[\n");
            for (int i = 0; i < flags.size(); i++) {
                out.append("\t\t").append(goString(flags.get(i))).append(i + 1 < flags.size() ? ",\n" : "\n");
            }
            out.append("\t]");
        }
        if (file.longNameMaxField() != 0) {
            out.append(",\n\t\"LongNameMax\": ").append(file.longNameMaxField());
        }
        out.append("\n}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A JSON string as Go (1.19, gocryptfs 2.3's) escapes it: quote, backslash,
     * control characters (\n \r \t, else \\u00XX), and for HTML safety &lt; &gt; &amp;
     * and U+2028/U+2029; a lone surrogate becomes U+FFFD as invalid UTF-8 would.
     */
    static String goString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append('\ufffd');
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** An object's members by lower-cased name (Go matches struct fields regardless of case), the last one winning. */
    private static Map<String, JsonElement> fields(JsonElement element, String where) {
        if (!element.isJsonObject()) {
            throw new FormatException("key file: " + where + " is not a JSON object");
        }
        Map<String, JsonElement> fields = new HashMap<>();
        for (Map.Entry<String, JsonElement> member : element.getAsJsonObject().entrySet()) {
            if (!member.getValue().isJsonNull()) {
                fields.put(member.getKey().toLowerCase(Locale.ROOT), member.getValue());
            }
        }
        return fields;
    }

    private static String string(Map<String, JsonElement> fields, String name) {
        JsonElement value = fields.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            return "";
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new FormatException("key file: " + name + " is not a string");
        }
        return value.getAsString();
    }

    private static byte[] bytes(Map<String, JsonElement> fields, String name) {
        String text = string(fields, name);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            throw new FormatException("key file: " + name + " is not base64");
        }
    }

    private static long integer(Map<String, JsonElement> fields, String name, long min, long max) {
        JsonElement value = fields.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            return 0;
        }
        long number;
        try {
            JsonPrimitive primitive = value.getAsJsonPrimitive();
            if (!primitive.isNumber()) {
                throw new NumberFormatException();
            }
            // Go parses the literal itself: 1024.0 and 1e3 are no integers to it.
            number = Long.parseLong(primitive.getAsNumber().toString());
        } catch (IllegalStateException | NumberFormatException notInteger) {
            throw new FormatException("key file: " + name + " is not a whole number");
        }
        if (number < min || number > max) {
            throw new FormatException("key file: " + name + " " + number + " is outside " + min + ".." + max);
        }
        return number;
    }

    private static List<String> strings(Map<String, JsonElement> fields, String name) {
        JsonElement value = fields.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            return List.of();
        }
        if (!value.isJsonArray()) {
            throw new FormatException("key file: " + name + " is not a list");
        }
        JsonArray array = value.getAsJsonArray();
        List<String> strings = new ArrayList<>(array.size());
        for (JsonElement element : array) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new FormatException("key file: " + name + " holds something other than strings");
            }
            strings.add(element.getAsString());
        }
        return strings;
    }

    /**
     * What the parser found and where, in one line: Gson's message without its
     * advice to programmers ("Use JsonReader.setStrictness...") and the link it
     * appends on a second line.
     */
    private static String parserComplaint(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause().getMessage() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        int newline = message.indexOf('\n');
        message = (newline < 0 ? message : message.substring(0, newline)).strip();
        Matcher where = WHERE.matcher(message);
        if (!where.matches()) {
            return message.isEmpty() || message.contains("JsonReader") ? "syntax error" : message;
        }
        String what = where.group(1).isEmpty() || where.group(1).contains("JsonReader") ? "syntax error" : where.group(1);
        return what + " at line " + where.group(2) + ", column " + where.group(3);
    }
}
