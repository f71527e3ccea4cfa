package dev.modtls.bench;

/** An FTPS server to measure: where it listens and the account to log in with. */
record Target(String name, String host, int port, String user, String password) {

    /**
     * Parses {@code [name=]host:port:user:password} (the password may contain colons). Without a name the target is
     * called {@code host:port}; the names {@code ours} and {@code stock} get the ratio row.
     */
    static Target parse(String spec) {
        String name = null;
        int eq = spec.indexOf('=');
        if (eq > 0 && eq < spec.indexOf(':')) {
            name = spec.substring(0, eq);
            spec = spec.substring(eq + 1);
        }
        String[] p = spec.split(":", 4);
        if (p.length != 4) {
            throw new IllegalArgumentException("--target wants [name=]host:port:user:password, got " + spec);
        }
        return new Target(name != null ? name : p[0] + ":" + p[1], p[0], Integer.parseInt(p[1]), p[2], p[3]);
    }
}
