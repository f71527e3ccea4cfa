package dev.modtls.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * What a set of certificate files and directories looks like on disk, in two strengths: a cheap {@link #stat()}
 * signature (each file's real path after symlinks, size and modification time; a directory's regular files) and a
 * {@link #content()} digest (SHA-256 over real paths and bytes). The real path makes Certbot's way of renewing (new
 * files in {@code archive/}, then the {@code live/} symlinks switched) visible even when sizes and times match.
 * A missing or unreadable file is part of the signature, not an error: the reload that follows reports it.
 */
final class WatchedFiles {

    private final List<Path> paths;

    WatchedFiles(List<Path> paths) {
        this.paths = List.copyOf(paths);
    }

    boolean isEmpty() {
        return paths.isEmpty();
    }

    List<Path> paths() {
        return paths;
    }

    /** Real path, size and modification time of every watched file. */
    String stat() {
        StringBuilder sb = new StringBuilder();
        for (Path f : files()) {
            sb.append(f).append('|');
            try {
                Path real = f.toRealPath();
                BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                sb.append(real).append('|').append(a.size()).append('|').append(a.lastModifiedTime().toMillis());
            } catch (IOException e) {
                sb.append("unreadable:").append(e.getClass().getSimpleName());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A digest of every watched file's real path and bytes. */
    String content() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (Path f : files()) {
            sha.update(f.toString().getBytes(StandardCharsets.UTF_8));
            try {
                sha.update(f.toRealPath().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(f));
            } catch (IOException e) {
                sha.update(("unreadable:" + e.getClass().getSimpleName()).getBytes(
                        StandardCharsets.UTF_8));
            }
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The watched files, a directory standing for its regular files (sorted). */
    private List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                TreeSet<Path> inDir = new TreeSet<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path f : ds) {
                        if (Files.isRegularFile(f)) {
                            inDir.add(f);
                        }
                    }
                } catch (IOException e) {
                    // an unreadable directory shows as its own entry
                }
                out.add(p);
                out.addAll(inDir);
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
