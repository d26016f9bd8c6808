package io.ferry.gateway.domain;

/** A compute API microversion such as 2.59; ordered. */
public record Microversion(int major, int minor) implements Comparable<Microversion> {

    public static final Microversion MIN = new Microversion(2, 1);
    public static final Microversion MAX = new Microversion(2, 92);

    /** Parses {@code 2.59} or {@code latest}; throws {@link IllegalArgumentException} for anything else. */
    public static Microversion parse(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("latest")) {
            return MAX;
        }
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1) {
            throw new IllegalArgumentException("Invalid API version request string: " + text);
        }
        try {
            return new Microversion(Integer.parseInt(value.substring(0, dot)), Integer.parseInt(value.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid API version request string: " + text);
        }
    }

    public boolean atLeast(int maj, int min) {
        return compareTo(new Microversion(maj, min)) >= 0;
    }

    public boolean isSupported() {
        return compareTo(MIN) >= 0 && compareTo(MAX) <= 0;
    }

    @Override
    public int compareTo(Microversion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
