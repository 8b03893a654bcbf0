package io.appmanager.sdk;

import java.util.Optional;

/**
 * A {@code major.minor.patch} version compared numerically, so that 0.10.0 is newer than 0.9.0.
 * Pre-release and build suffixes ({@code -rc.1}, {@code +sha}) are ignored: the server only
 * announces release versions, and a lenient parse keeps a stray suffix from hiding a notice.
 *
 * @param major major number
 * @param minor minor number (0 when absent)
 * @param patch patch number (0 when absent)
 */
record SemVer(int major, int minor, int patch) implements Comparable<SemVer> {

    /** Parses {@code "1"}, {@code "1.2"}, {@code "v1.2.3"}, {@code "1.2.3-beta"}; empty when not a version. */
    static Optional<SemVer> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String core = text.trim();
        if (core.startsWith("v") || core.startsWith("V")) {
            core = core.substring(1);
        }
        int suffix = indexOfAny(core, '-', '+');
        if (suffix >= 0) {
            core = core.substring(0, suffix);
        }
        String[] parts = core.split("\\.", -1);
        if (core.isEmpty() || parts.length > 3) {
            return Optional.empty();
        }
        int[] numbers = new int[3];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].chars().allMatch(Character::isDigit) || parts[i].isEmpty()) {
                return Optional.empty();
            }
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        return Optional.of(new SemVer(numbers[0], numbers[1], numbers[2]));
    }

    /** True when both parse and {@code candidate} is strictly newer than {@code baseline}. */
    static boolean isNewer(String candidate, String baseline) {
        Optional<SemVer> a = parse(candidate);
        Optional<SemVer> b = parse(baseline);
        return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) > 0;
    }

    @Override
    public int compareTo(SemVer other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    private static int indexOfAny(String text, char a, char b) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }
}
