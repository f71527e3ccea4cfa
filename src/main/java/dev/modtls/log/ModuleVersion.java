package dev.modtls.log;

/**
 * The module's version as it appears in every TLSLog line ({@code ftpserver-modtls/<version>}), read from the jar
 * manifest's {@code Implementation-Version}; {@code dev} when running from a build tree without a manifest.
 */
public final class ModuleVersion {

    /** The module name written before the version, in the place where mod_tls writes {@code mod_tls}. */
    public static final String MODULE = "ftpserver-modtls";

    private static final String VERSION = read();

    private ModuleVersion() {
    }

    /** The version, e.g. {@code 0.1.0}, or {@code dev}. */
    public static String get() {
        return VERSION;
    }

    /** {@code ftpserver-modtls/<version>}. */
    public static String moduleAndVersion() {
        return MODULE + "/" + VERSION;
    }

    private static String read() {
        Package p = ModuleVersion.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v.trim();
    }
}
