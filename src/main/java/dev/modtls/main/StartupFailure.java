package dev.modtls.main;

import java.util.ArrayList;
import java.util.List;

import org.xml.sax.SAXParseException;

import dev.modtls.config.ConfigException;

/**
 * Turns whatever stopped the server from starting into one line an operator can act on. Spring wraps the real
 * reason in layers of {@code BeanCreationException} whose messages repeat each other; the reason is the
 * {@link ConfigException} when there is one (it names the directive and where it was written), else the innermost
 * exception, preceded by the nearest wrapper that adds context (for a bind failure: FtpServer's "Failed to bind to
 * address ..." before the JDK's "Address already in use").
 */
final class StartupFailure {

    private StartupFailure() {
    }

    /** The one-line reason for {@code failure}. */
    static String reason(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof ConfigException) {
                return t.getMessage();
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        String rootText = describe(root);
        for (int i = chain.size() - 2; i >= 0; i--) {
            Throwable wrapper = chain.get(i);
            if (isSpring(wrapper)) {
                continue;
            }
            String text = describe(wrapper);
            if (text != null && !text.contains(rootText) && !text.equals(String.valueOf(wrapper.getCause()))) {
                return text + ": " + rootText;
            }
        }
        return rootText;
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static String describe(Throwable t) {
        if (t instanceof SAXParseException) {
            SAXParseException sax = (SAXParseException) t;
            String where = sax.getSystemId() == null ? "" : sax.getSystemId() + " ";
            return where + "line " + sax.getLineNumber() + ": " + sax.getMessage();
        }
        if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
            return "class not found: " + t.getMessage() + " (a jar missing from the class path?)";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nested = message.indexOf("; nested exception is");
        return nested > 0 ? message.substring(0, nested) : message;
    }

    private static boolean isSpring(Throwable t) {
        return t.getClass().getName().startsWith("org.springframework.");
    }
}
