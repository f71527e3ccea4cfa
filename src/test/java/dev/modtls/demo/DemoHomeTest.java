package dev.modtls.demo;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

public class DemoHomeTest {

    @Test
    public void createsHomeAndWelcomeOnceAndKeepsUserChanges() throws IOException {
        Path dir = Files.createTempDirectory("demo");
        Path home = dir.resolve("var/home/demo");
        DemoHome bean = new DemoHome();
        bean.setHome(home.toString());
        bean.afterPropertiesSet();
        assertEquals(DemoHome.WELCOME, Files.readString(home.resolve("welcome.txt")));

        Files.writeString(home.resolve("welcome.txt"), "edited");
        bean.afterPropertiesSet(); // the next start
        assertEquals("edited", Files.readString(home.resolve("welcome.txt")));

        Files.delete(home.resolve("welcome.txt"));
        Files.delete(home);
        Files.delete(home.getParent());
        Files.delete(home.getParent().getParent());
        Files.delete(dir);
    }
}
