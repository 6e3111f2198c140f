package org.panfuse.cli;

import java.util.ArrayList;
import java.util.List;

/** The values of {@code -o}: comma-separated lists, each option non-empty. */
final class MountOptionList {
    private MountOptionList() {
    }

    /** Splits every {@code -o} value at its commas; an empty option is a usage error. */
    static List<String> split(List<String> values) {
        List<String> options = new ArrayList<>();
        for (String value : values) {
            for (String option : value.split(",", -1)) {
                if (option.isBlank()) {
                    throw UserError.usage("-o '" + value + "': empty mount option");
                }
                if (!option.equals(option.strip()) || option.chars().anyMatch(Character::isISOControl)) {
                    throw UserError.usage("-o '" + value + "': mount options contain no spaces or control characters");
                }
                options.add(option);
            }
        }
        return options;
    }
}
