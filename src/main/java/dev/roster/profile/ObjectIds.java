package dev.roster.profile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Profile ids in the ObjectId layout (docs/COMPATIBILITY.md, Identity keys and matching) and the hashes derived from
 * them.
 */
public final class ObjectIds {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final byte[] PROCESS = new byte[5];
    private static final AtomicInteger COUNTER;

    static {
        SecureRandom random = new SecureRandom();
        random.nextBytes(PROCESS);
        COUNTER = new AtomicInteger(random.nextInt());
    }

    private ObjectIds() {
    }

    /** 4 bytes of seconds, 5 random bytes of this process, 3 bytes of a counter: 24 lowercase hex characters. */
    public static String next() {
        long seconds = System.currentTimeMillis() / 1000;
        int count = COUNTER.getAndIncrement();
        byte[] bytes = new byte[12];
        bytes[0] = (byte) (seconds >>> 24);
        bytes[1] = (byte) (seconds >>> 16);
        bytes[2] = (byte) (seconds >>> 8);
        bytes[3] = (byte) seconds;
        System.arraycopy(PROCESS, 0, bytes, 4, 5);
        bytes[9] = (byte) (count >>> 16);
        bytes[10] = (byte) (count >>> 8);
        bytes[11] = (byte) count;
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * {@code _xxh}: the first 16 hex characters of the SHA-256 of the profile id (docs/COMPATIBILITY.md, Profile data).
     */
    public static String xxh(String profileId) {
        return hex("SHA-256", profileId).substring(0, 16);
    }

    /** {@code _md5}: MD5 of the lower-cased email. */
    public static String md5(String text) {
        return hex("MD5", text);
    }

    /** The 8-hex {@code hash_id} of a subscription: stable for its profile, resource, channel and address. */
    static String subscriptionHash(String profileId, long resourceId, String channel, String address) {
        return hex("SHA-256", profileId + "/" + resourceId + "/" + channel + "/" + address).substring(0, 8);
    }

    private static String hex(String algorithm, String text) {
        return HEX.formatHex(digest(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();
    // rendering a page computes two digests per profile: cloning a prototype skips the provider lookup of getInstance
    private static final MessageDigest SHA256 = instance("SHA-256");
    private static final MessageDigest MD5 = instance("MD5");

    private static MessageDigest digest(String algorithm) {
        MessageDigest prototype = algorithm.equals("MD5") ? MD5 : SHA256;
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return instance(algorithm);
        }
    }

    private static MessageDigest instance(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
