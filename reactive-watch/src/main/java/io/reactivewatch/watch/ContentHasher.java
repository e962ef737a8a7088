package io.reactivewatch.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Computes a 64-bit content digest; 0 means "could not read". */
@FunctionalInterface
interface ContentHasher {

    long hash(Path file);

    /** SHA-256 of the bytes, folded to 64 bits (never 0 for a readable file). */
    static ContentHasher sha256() {
        return file -> {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by the Java platform", e);
            }
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    md.update(buffer, 0, n);
                }
            } catch (IOException e) {
                return 0;
            }
            byte[] d = md.digest();
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return h == 0 ? 1 : h;
        };
    }
}
