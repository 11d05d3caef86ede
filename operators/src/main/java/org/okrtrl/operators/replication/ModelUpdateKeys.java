package org.okrtrl.operators.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret keys that authenticate model updates: HMAC-SHA256 (RFC 2104) over an update's
 * bytes. The first key signs what this job publishes; every key is accepted when verifying, so a
 * key can be changed without stopping the replicas: add the new key as a second line everywhere,
 * then make it the first, then drop the old one.
 *
 * <p>Keys come from a file (one key per line, blank lines and lines starting with # ignored) or
 * from the environment variable {@value #ENVIRONMENT_VARIABLE} in the same format; each key is
 * its line's UTF-8 bytes and must be at least {@value #MIN_KEY_BYTES} bytes long.
 */
public final class ModelUpdateKeys {
    public static final String ENVIRONMENT_VARIABLE = "OKRTRL_MODEL_UPDATE_KEYS";
    public static final int MIN_KEY_BYTES = 16;
    /** Bytes of an HMAC-SHA256 tag. */
    public static final int TAG_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final List<byte[]> keys;

    private ModelUpdateKeys(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no model update key given");
        }
        for (byte[] k : keys) {
            if (k.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("a model update key must be at least " + MIN_KEY_BYTES
                        + " bytes, one is " + k.length);
            }
        }
        this.keys = keys;
    }

    /** The keys in text, one per line. */
    public static ModelUpdateKeys parse(String text) {
        List<byte[]> keys = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String key = line.strip();
            if (!key.isEmpty() && !key.startsWith("#")) {
                keys.add(key.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new ModelUpdateKeys(keys);
    }

    /** The keys in file. */
    public static ModelUpdateKeys read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * The keys the job is given: from file if it is not null, else from the environment variable
     * if it is set, else none (null: updates are neither signed nor checked).
     */
    public static ModelUpdateKeys load(String file) throws IOException {
        if (file != null && !file.isBlank()) {
            return read(Path.of(file));
        }
        String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : parse(fromEnvironment);
    }

    /** How many keys are accepted. */
    public int size() {
        return keys.size();
    }

    /** The tag of bytes[0, length) under the signing key. */
    byte[] sign(byte[] bytes, int length) {
        return tag(keys.get(0), bytes, length);
    }

    /** Whether tag is the tag of bytes[0, length) under any of the keys (compared in constant time). */
    boolean verify(byte[] bytes, int length, byte[] tag) {
        boolean valid = false;
        for (byte[] key : keys) {
            valid |= MessageDigest.isEqual(tag(key, bytes, length), tag);
        }
        return valid;
    }

    private static byte[] tag(byte[] key, byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
