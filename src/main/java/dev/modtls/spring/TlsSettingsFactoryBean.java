package dev.modtls.spring;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.SmartFactoryBean;

import dev.modtls.config.ConfigException;
import dev.modtls.config.TlsSettings;
import dev.modtls.pki.SelfSignedCertificates;

/**
 * Builds the {@link TlsSettings} of one {@code <modtls:tls>} element when the bean is created (not when the XML is
 * parsed, so that Spring placeholders in attribute values are resolved first, and nothing is read from disk while
 * parsing). Attributes are applied first, then the certificate children, then the lines of {@code <modtls:directives>}:
 * a directive given twice takes its last value, as in proftpd.conf. Every {@link ConfigException} is rethrown with
 * where it was written, e.g. {@code TLSRequired: bad parameter (attribute 'required' of <modtls:tls id='tls'>)}.
 * The settings are built eagerly, when the context starts, so that a mistake stops the server even in a
 * {@code <modtls:tls>} no listener uses yet.
 */
public class TlsSettingsFactoryBean implements SmartFactoryBean<TlsSettings> {

    private String elementName = "<modtls:tls>";
    private Map<String, String> attributes = new LinkedHashMap<>();
    private List<Map<String, String>> certificates = new ArrayList<>();
    private String directives;
    private String baseDirectory;
    private TlsSettings settings;

    /** How the element is named in errors, e.g. {@code <modtls:tls id='tls'>}. */
    public void setElementName(String elementName) {
        this.elementName = elementName;
    }

    /** Attribute name to value, for the attributes of {@link TlsAttribute}. */
    public void setAttributes(Map<String, String> attributes) {
        this.attributes = new LinkedHashMap<>(attributes);
    }

    /** One map per certificate child: its attributes, and its element name under {@code #element}. */
    public void setCertificates(List<Map<String, String>> certificates) {
        this.certificates = new ArrayList<>(certificates);
    }

    /** The text of {@code <modtls:directives>}: proftpd.conf lines. */
    public void setDirectives(String directives) {
        this.directives = directives;
    }

    /** Where relative paths resolve; the working directory when not set. */
    public void setBaseDirectory(String baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    @Override
    public synchronized TlsSettings getObject() {
        if (settings == null) {
            settings = build();
        }
        return settings;
    }

    @Override
    public Class<?> getObjectType() {
        return TlsSettings.class;
    }

    @Override
    public boolean isEagerInit() {
        return true;
    }

    private TlsSettings build() {
        Path base = baseDirectory == null || baseDirectory.isBlank() ? Paths.get("").toAbsolutePath()
                : Paths.get(baseDirectory).toAbsolutePath();
        TlsSettings.Builder b = TlsSettings.builder().baseDirectory(base);
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String where = "attribute '" + e.getKey() + "' of " + elementName;
            TlsAttribute attribute = TlsAttribute.forName(e.getKey())
                    .orElseThrow(() -> new ConfigException(e.getKey(), "unknown attribute").at(where));
            try {
                apply(b, attribute, e.getValue());
            } catch (ConfigException ex) {
                throw ex.at(where);
            }
        }
        for (Map<String, String> child : certificates) {
            applyCertificate(b, base, child);
        }
        if (directives != null) {
            String[] lines = directives.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                try {
                    b.line(lines[i]);
                } catch (ConfigException ex) {
                    throw ex.at("line " + (i + 1) + " of <modtls:directives> in " + elementName);
                }
            }
        }
        try {
            return b.build();
        } catch (ConfigException ex) {
            throw ex.at(elementName);
        }
    }

    private static void apply(TlsSettings.Builder b, TlsAttribute attribute, String value) {
        switch (attribute.kind) {
            case SESSION_CACHE_SIZE:
                int size;
                try {
                    size = Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw new ConfigException(attribute.directive, "cache size must be a number: '" + value + "'");
                }
                b.sessionCacheSize(size);
                break;
            case KEY_PASSWORD:
                b.keyPassword(value.toCharArray());
                break;
            case SERVER_NAME:
                b.serverName(value);
                break;
            default:
                b.directive(attribute.directive, attribute.arguments(value));
        }
    }

    private void applyCertificate(TlsSettings.Builder b, Path base, Map<String, String> child) {
        String name = child.get(CertificateElement.ELEMENT_KEY);
        CertificateElement kind = CertificateElement.forElement(name).orElseThrow(
                () -> new IllegalArgumentException("not a certificate element: " + name));
        String in = " of <modtls:" + kind.element + "> in " + elementName;
        String file = child.get("file");
        String keyFile = child.get("key-file");
        String generateIfMissing = child.getOrDefault("generate-if-missing", "false").strip();
        if (generateIfMissing.equals("true") || generateIfMissing.equals("1")) { // xsd:boolean
            generate(kind, base, file, keyFile, child.getOrDefault("common-name", "localhost"), in);
        }
        try {
            b.directive(kind.fileDirective, file == null ? "" : file);
        } catch (ConfigException ex) {
            throw ex.at("attribute 'file'" + in);
        }
        if (keyFile != null) {
            try {
                b.directive(kind.keyFileDirective, keyFile);
            } catch (ConfigException ex) {
                throw ex.at("attribute 'key-file'" + in);
            }
        }
        String password = child.get("password");
        if (password != null) {
            b.pkcs12Password(password.toCharArray());
        }
    }

    private static void generate(CertificateElement kind, Path base, String file, String keyFile, String commonName,
            String in) {
        if (kind.generatable == null) {
            throw new ConfigException(kind.fileDirective, "only RSA and EC certificates can be generated")
                    .at("attribute 'generate-if-missing'" + in);
        }
        if (file == null || file.isBlank() || keyFile == null || keyFile.isBlank()) {
            throw new ConfigException(kind.fileDirective, "generating a certificate needs both 'file' and 'key-file'")
                    .at("attribute 'generate-if-missing'" + in);
        }
        try {
            SelfSignedCertificates.ensure(base.resolve(file).normalize(), base.resolve(keyFile).normalize(),
                    kind.generatable, commonName);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(kind.fileDirective, "cannot generate a self-signed certificate: "
                    + e.getMessage(), e).at("attribute 'generate-if-missing'" + in);
        }
    }
}
