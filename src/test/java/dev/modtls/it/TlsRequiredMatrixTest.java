package dev.modtls.it;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.AfterClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import dev.modtls.testsupport.TestPki;

/**
 * The control-channel and data-command cells of mod_tls-spec §2.5, one server per TLSRequired value, over real
 * sockets: USER/PASS in clear, another command in clear, a transfer command without PROT P, PROT C and PROT P.
 */
@RunWith(Parameterized.class)
public class TlsRequiredMatrixTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static final List<TestServer> SERVERS = new ArrayList<>();

    /** TLSRequired value; expected USER, other command (PBSZ in clear), LIST without PROT P, PROT C, PROT P. */
    @Parameters(name = "TLSRequired {0}")
    public static Collection<Object[]> rows() {
        String user550 = "550 SSL/TLS required on the control channel";
        String userOk = "331 User name okay, need password for alice.";
        String other550 = user550;
        String otherOk = "500 PBSZ not understood";
        String list522 = "522 SSL/TLS required on the data channel";
        String listOk = "503 PORT or PASV must be issued first";
        String ok200c = "200 Protection set to Clear";
        String ok200p = "200 Protection set to Private";
        String refused = "534 Unwilling to accept security parameters";
        return List.of(new Object[][] {
            {"off", userOk, otherOk, listOk, ok200c, ok200p},
            {"on", user550, other550, list522, refused, ok200p},
            {"both", user550, other550, list522, refused, ok200p},
            {"ctrl+data", user550, other550, list522, refused, ok200p},
            {"ctrl", user550, other550, listOk, ok200c, ok200p},
            {"control", user550, other550, listOk, ok200c, ok200p},
            {"ctrl+!data", user550, other550, listOk, ok200c, refused},
            {"data", userOk, otherOk, list522, refused, ok200p},
            {"!data", userOk, otherOk, listOk, ok200c, refused},
            {"auth", user550, otherOk, listOk, ok200c, ok200p},
            {"auth+data", user550, otherOk, list522, refused, ok200p},
            {"auth+!data", user550, otherOk, listOk, ok200c, refused},
        });
    }

    private final String required;
    private final String user;
    private final String other;
    private final String list;
    private final String protC;
    private final String protP;

    public TlsRequiredMatrixTest(String required, String user, String other, String list, String protC,
            String protP) {
        this.required = required;
        this.user = user;
        this.other = other;
        this.list = list;
        this.protC = protC;
        this.protP = protP;
    }

    @AfterClass
    public static void stopServers() {
        SERVERS.forEach(TestServer::close);
    }

    private TestServer server() throws Exception {
        if (pki == null) {
            pki = TestPki.create(TMP.newFolder("pki").toPath());
        }
        TestServer s = TestServer.builder(TMP.newFolder().toPath(), pki)
                .directive("TLSRequired", required).start();
        SERVERS.add(s);
        return s;
    }

    @Test
    public void clearControlChannelAndProtectedSession() throws Exception {
        TestServer s = server();
        try (RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            assertEquals(other, c.cmd("PBSZ 0").line());
            assertEquals(user, c.cmd("USER alice").line());
            // FEAT is always allowed before AUTH (bug 3420)
            RawFtpClient.Reply feat = c.cmd("FEAT");
            assertEquals(211, feat.code);
        }
        try (RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            assertEquals(234, c.cmd("AUTH TLS").code);
            c.startTls();
            assertEquals(331, c.cmd("USER alice").code);
            assertEquals(230, c.cmd("PASS secret").code);
            assertEquals(list, c.cmd("LIST").line());
            assertEquals(protC, c.cmd("PROT C").line());
            assertEquals(protP, c.cmd("PROT P").line());
        }
        if (user.startsWith("550")) {
            Logs.await(s, "SSL/TLS required but absent for authentication, denying USER command");
        }
        if (other.startsWith("550")) {
            Logs.await(s, "SSL/TLS required but absent on control channel, denying PBSZ command");
        }
        if (list.startsWith("522")) {
            Logs.await(s, "SSL/TLS required but absent on data channel, denying LIST command");
        }
    }

}
