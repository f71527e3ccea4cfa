package dev.modtls.policy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import dev.modtls.config.ConfigException;
import org.junit.Test;

/** One row per line of spec §2.1. */
public class TlsRequiredTest {
    private static final Object[][] ROWS = {
        // spelling, ctrl, data, auth
        {"off", 0, 0, 0}, {"false", 0, 0, 0}, {"no", 0, 0, 0}, {"0", 0, 0, 0}, {"OFF", 0, 0, 0},
        {"on", 1, 1, 1}, {"true", 1, 1, 1}, {"yes", 1, 1, 1}, {"1", 1, 1, 1}, {"On", 1, 1, 1},
        {"ctrl", 1, 0, 1}, {"control", 1, 0, 1},
        {"both", 1, 1, 1}, {"ctrl+data", 1, 1, 1},
        {"ctrl+!data", 1, -1, 1},
        {"data", 0, 1, 0},
        {"!data", 0, -1, 0},
        {"auth", 0, 0, 1},
        {"auth+data", 0, 1, 1},
        {"auth+!data", 0, -1, 1},
    };

    @Test
    public void everySpellingParsesToItsTriple() {
        for (Object[] row : ROWS) {
            TlsRequired r = TlsRequired.parse((String) row[0]);
            String msg = "TLSRequired " + row[0];
            assertEquals(msg, row[1], r.ctrl());
            assertEquals(msg, row[2], r.data());
            assertEquals(msg, row[3], r.auth());
            assertEquals(msg, row[0], r.spelling());
        }
    }

    @Test
    public void otherSpellingsAreBadParameter() {
        for (String bad : new String[] {"!ctrl", "data+auth", "CTRL", "Data", "ctrl+auth", "", "both ", "required"}) {
            try {
                TlsRequired.parse(bad);
                fail("accepted '" + bad + "'");
            } catch (ConfigException e) {
                assertEquals("TLSRequired", e.getDirective());
                assertEquals("bad parameter", e.getReason());
                assertEquals("TLSRequired: bad parameter", e.getMessage());
            }
        }
    }

    @Test
    public void optionSpellingsIncludingTheAlias() {
        assertEquals(16, TlsOption.values().length);
        assertEquals(TlsOption.ALLOW_CLIENT_RENEGOTIATIONS, TlsOption.forName("AllowClientRenegotiation").get());
        assertEquals(TlsOption.ALLOW_CLIENT_RENEGOTIATIONS, TlsOption.forName("AllowClientRenegotiations").get());
        for (TlsOption o : TlsOption.values()) {
            assertEquals(o, TlsOption.forName(o.spelling()).get());
        }
        assertEquals(false, TlsOption.forName("allowperuser").isPresent());
        assertEquals(false, TlsOption.forName("NoCertRequest").isPresent());
    }
}
