package dev.modtls.data;

import java.io.ByteArrayOutputStream;

/**
 * TYPE A line-ending conversion with FtpServer's exact rules (so a file round-trips as it does on the stock server):
 * towards the client a LF not preceded by CR becomes CR LF; from the client a CR becomes the platform line
 * separator, a LF right after a CR is dropped, and a lone LF becomes the platform line separator. The last byte is
 * remembered across calls, so chunk boundaries do not matter.
 */
final class AsciiConverter {

    private static final byte[] PLATFORM_EOL = System.lineSeparator().getBytes();

    private final boolean toClient;
    private byte last;

    private AsciiConverter(boolean toClient) {
        this.toClient = toClient;
    }

    /** Converter for bytes read from a file and sent to the client. */
    static AsciiConverter toClient() {
        return new AsciiConverter(true);
    }

    /** Converter for bytes received from the client and written to a file. */
    static AsciiConverter fromClient() {
        return new AsciiConverter(false);
    }

    /** Converts {@code len} bytes of {@code in} and appends the result to {@code out}. */
    void convert(byte[] in, int off, int len, ByteArrayOutputStream out) {
        for (int i = off; i < off + len; i++) {
            byte b = in[i];
            if (toClient) {
                if (b == '\n' && last != '\r') {
                    out.write('\r');
                }
                out.write(b);
            } else if (b == '\r') {
                out.write(PLATFORM_EOL, 0, PLATFORM_EOL.length);
            } else if (b == '\n') {
                if (last != '\r') {
                    out.write(PLATFORM_EOL, 0, PLATFORM_EOL.length);
                }
            } else {
                out.write(b);
            }
            last = b;
        }
    }
}
