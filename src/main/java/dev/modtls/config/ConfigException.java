package dev.modtls.config;

/**
 * A configuration error found at start. The message always names the directive (mod_tls's name, such as
 * {@code TLSRequired}) and, where known, where it was written (an XML attribute or a file and line), followed by the
 * reason in mod_tls's wording where mod_tls has one.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String directive;
    private final String reason;

    public ConfigException(String directive, String reason) {
        this(directive, reason, null);
    }

    public ConfigException(String directive, String reason, Throwable cause) {
        super(directive + ": " + reason, cause);
        this.directive = directive;
        this.reason = reason;
    }

    /** The mod_tls directive the error is about, e.g. {@code TLSProtocol}. */
    public String getDirective() {
        return directive;
    }

    /** The reason alone, without the directive name. */
    public String getReason() {
        return reason;
    }

    /** The same error, with where it was written (e.g. {@code "attribute 'required' of <modtls:tls id='tls'>"}). */
    public ConfigException at(String where) {
        ConfigException e = new ConfigException(directive, reason + " (" + where + ")", getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
