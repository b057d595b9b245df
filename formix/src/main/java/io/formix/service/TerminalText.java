package io.formix.service;

/**
 * Makes text that came from someone else (a prompt, a reason, a schema, a node name from the
 * registry) safe to print on a terminal: every C0 control character (tab and newline included),
 * DEL, every C1 control character and the bidi overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) are shown as a visible escape ({@code \x1b} for ESC, {@code \\u202e} for U+202E) instead of reaching
 * the terminal, where they could set its title, clear it, recolour it or reorder what is shown.
 * Human output only: JSON output stays exact (Jackson escapes control characters itself).
 */
public final class TerminalText {

    private TerminalText() {}

    /** {@code text} with every unsafe character replaced by its escape; {@code null} stays {@code null}. */
    public static String safe(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !unsafe(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                b.append(c);
            } else if (c <= 0xff) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** {@link #safe(String)} of {@code value}'s text ({@code String.valueOf}). */
    public static String safe(Object value) {
        return value == null ? null : safe(value.toString());
    }

    public static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
