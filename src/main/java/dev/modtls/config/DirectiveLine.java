package dev.modtls.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one proftpd.conf line into its words the way ProFTPD's parser does: words are separated by blanks; a word
 * in double quotes may contain blanks, and a backslash inside quotes escapes the next character; a line whose first
 * non-blank character is {@code #} is a comment.
 */
public final class DirectiveLine {
    private DirectiveLine() {
    }

    /** The words of the line; empty for a blank or comment line. */
    public static List<String> tokenize(String line) {
        List<String> words = new ArrayList<>();
        String s = line.strip();
        if (s.isEmpty() || s.charAt(0) == '#') {
            return words;
        }
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i++);
                    if (d == '\\' && i < n) {
                        w.append(s.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        w.append(d);
                    }
                }
                if (!closed) {
                    throw new ConfigException(words.isEmpty() ? "(line)" : words.get(0),
                            "unterminated quoted string in '" + line.strip() + "'");
                }
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    w.append(s.charAt(i++));
                }
            }
            words.add(w.toString());
        }
        return words;
    }
}
