package dev.modtls.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;

import dev.modtls.config.ConfigException;

/**
 * mod_tls's rules for opening a TLSLog file (ProFTPD's {@code pr_log_openfile}): the file's directory must not be
 * world-writable, and the file itself must not be a symbolic link. The reasons use mod_tls's wording, followed by the
 * path.
 *
 * <p>One deliberate difference: a missing parent directory is created (ProFTPD fails with "No such file or
 * directory"), as Log4j does for every other log file of the server, so that a first start with the demo
 * configuration works. A directory we create is never world-writable, so the rule still holds.
 */
final class TlsLogFileCheck {

    static final String DIRECTIVE = "TLSLog";
    static final String WORLD_WRITABLE = "unable to open TLSLog: parent directory is world-writable";
    static final String SYMLINK = "unable to open TLSLog: cannot log to a symbolic link";

    private TlsLogFileCheck() {
    }

    /**
     * Checks {@code file} and creates its missing parent directories.
     *
     * @return the absolute, normalized path to open
     * @throws ConfigException naming {@code TLSLog} when mod_tls would refuse the file
     */
    static Path check(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw new ConfigException(DIRECTIVE, "unable to open TLSLog: not a file path (" + file + ")");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException(DIRECTIVE, "unable to open TLSLog: cannot create directory " + dir + ": "
                    + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(DIRECTIVE, "unable to open TLSLog: Not a directory (" + dir + ")");
        }
        if (isWorldWritable(dir)) {
            throw new ConfigException(DIRECTIVE, WORLD_WRITABLE + " (" + dir + ")");
        }
        if (Files.isSymbolicLink(abs)) {
            throw new ConfigException(DIRECTIVE, SYMLINK + " (" + abs + ")");
        }
        if (Files.isDirectory(abs)) {
            throw new ConfigException(DIRECTIVE, "unable to open TLSLog: Is a directory (" + abs + ")");
        }
        return abs;
    }

    private static boolean isWorldWritable(Path dir) {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (view == null) {
            return false; // no POSIX permissions on this file system (Windows): nothing to check
        }
        try {
            return view.readAttributes().permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            throw new ConfigException(DIRECTIVE, "unable to open TLSLog: " + e.getMessage() + " (" + dir + ")", e);
        }
    }
}
