package io.ferry.gateway.app;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet (the format of Keystone's Fernet tokens): a payload encrypted with AES-128-CBC and signed with
 * HMAC-SHA256, {@code 0x80 | timestamp | IV | ciphertext | HMAC}, base64url. Keys are Fernet keys (32 bytes,
 * base64url: the signing key then the encryption key), as in Keystone's key repository: the first key here (the
 * primary) seals, every key opens, so a rotated-out key keeps its tokens valid until it is removed. Whoever holds a
 * key can mint tokens: keep the keys as secret as the passwords.
 */
public final class FernetTokens {

    private static final byte VERSION = (byte) 0x80;
    private static final int HEADER = 1 + 8 + 16;
    private static final int HMAC = 32;

    private final List<byte[]> keys;
    private final SecureRandom random;

    /** {@code keys}: Fernet keys in base64url, the primary first. */
    public FernetTokens(List<String> keys, SecureRandom random) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one Fernet key is needed");
        }
        this.keys = keys.stream().map(FernetTokens::decodeKey).toList();
        this.random = random;
    }

    /** A new random Fernet key, base64url (what {@code keystone-manage fernet_setup} writes). */
    public static String newKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getUrlEncoder().encodeToString(key);
    }

    /** Whether {@code key} is a Fernet key: 32 bytes in base64url. */
    public static boolean isKey(String key) {
        try {
            decodeKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] decodeKey(String key) {
        byte[] bytes = Base64.getUrlDecoder().decode(key.strip());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a Fernet key is 32 bytes in base64url, this one has " + bytes.length);
        }
        return bytes;
    }

    /** Encrypts and signs {@code payload} with the primary key. */
    public String seal(byte[] payload, Instant now) {
        byte[] key = keys.getFirst();
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 16, 16, "AES"), new IvParameterSpec(iv));
            byte[] ciphertext = cipher.doFinal(payload);
            ByteBuffer token = ByteBuffer.allocate(HEADER + ciphertext.length + HMAC);
            token.put(VERSION).putLong(now.getEpochSecond()).put(iv).put(ciphertext);
            token.put(hmac(key, token.array(), HEADER + ciphertext.length));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CBC or HMAC-SHA256", e);
        }
    }

    /** The payload of a token one of the keys sealed; empty for anything else (malformed, tampered, unknown key). */
    public Optional<byte[]> open(String token) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token.strip().replace("=", ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int body = bytes.length - HMAC;
        if (bytes.length < HEADER + 16 + HMAC || bytes[0] != VERSION || (body - HEADER) % 16 != 0) {
            return Optional.empty();
        }
        byte[] signature = Arrays.copyOfRange(bytes, body, bytes.length);
        for (byte[] key : keys) {
            try {
                if (MessageDigest.isEqual(signature, hmac(key, bytes, body))) {
                    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
                    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 16, 16, "AES"),
                            new IvParameterSpec(bytes, 9, 16));
                    return Optional.of(cipher.doFinal(bytes, HEADER, body - HEADER));
                }
            } catch (GeneralSecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static byte[] hmac(byte[] key, byte[] data, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, 0, 16, "HmacSHA256"));
        mac.update(data, 0, length);
        return mac.doFinal();
    }
}
