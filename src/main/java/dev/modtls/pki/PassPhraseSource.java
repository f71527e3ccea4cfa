package dev.modtls.pki;

import java.nio.file.Path;

/**
 * Where the pass phrase of an encrypted key or PKCS#12 file comes from (mod_tls: the startup prompt or
 * {@code TLSPassPhraseProvider}). Asked at most once per file at start.
 */
@FunctionalInterface
public interface PassPhraseSource {

    /** No pass phrase anywhere: an encrypted key is a start error. */
    PassPhraseSource NONE = (kind, file) -> null;

    /**
     * The pass phrase for {@code file}, or null when none is configured.
     *
     * @param kind mod_tls's key kind as passed to a TLSPassPhraseProvider: {@code RSA}, {@code EC} or {@code PKCS12}
     * @param file the encrypted file
     */
    char[] passPhrase(String kind, Path file);

    /** The same pass phrase for every file. */
    static PassPhraseSource of(String passPhrase) {
        return (kind, file) -> passPhrase.toCharArray();
    }
}
