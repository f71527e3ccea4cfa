package dev.modtls.config;

import java.util.Locale;

/** ProFTPD's Boolean spellings: on/off/yes/no/true/false/1/0, compared case-insensitively. */
public final class ConfigBooleans {
    private ConfigBooleans() {
    }

    /** TRUE, FALSE, or null when the word is not a Boolean. */
    public static Boolean parse(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "on":
            case "yes":
            case "true":
            case "1":
                return Boolean.TRUE;
            case "off":
            case "no":
            case "false":
            case "0":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
