package dev.modtls.log;

import java.nio.file.Path;
import java.util.Optional;

/** Opens the TLSLog a listener's settings name: {@link TlsLog#NONE} for {@code TLSLog none} (no file). */
public final class TlsLogs {

    private TlsLogs() {
    }

    /**
     * @param file the TLSLog file, empty for {@code none}
     * @throws dev.modtls.config.ConfigException naming {@code TLSLog} when mod_tls would refuse the file
     */
    public static TlsLog open(Optional<Path> file) {
        return file.<TlsLog>map(Log4jTlsLog::open).orElse(TlsLog.NONE);
    }
}
