package org.portcullis.regulation;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What a failure counter counts for: a canonical account name, or a source address.
 *
 * <p>IPv4 addresses are counted one by one. IPv6 addresses are counted per /64 prefix: RFC 4291 §2.5.1 and RFC 7421
 * make /64 the normal size of one link, and SLAAC with temporary addresses (RFC 8981) lets a single host use any of
 * its 2^64 interface identifiers, so a per-address counter would give one attacker an unlimited supply of fresh
 * counters. A whole /64 is what one customer, host or container usually gets, so it is the smallest unit an
 * attacker cannot cheaply multiply. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is counted as its IPv4
 * address, so the same client is not counted in two places.
 *
 * @param kind  account or address
 * @param value the canonical account name, the IPv4 address, or the IPv6 prefix written as {@code 2001:db8:0:1::/64}
 */
public record Subject(Kind kind, String value) {

    /** Bits of an IPv6 address that name the link (RFC 4291 §2.5.1). */
    static final int IPV6_PREFIX_BITS = 64;
    /** Longest account name kept; the users file allows far shorter names, this only bounds what reaches storage. */
    static final int MAX_ACCOUNT_LENGTH = 320;

    /** The two kinds of subject, stored by their lower-case names. */
    public enum Kind {
        ACCOUNT,
        ADDRESS;

        public String storedName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Subject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_ACCOUNT_LENGTH) {
            throw new IllegalArgumentException("Subject: value must be 1 to " + MAX_ACCOUNT_LENGTH
                    + " characters but has " + value.length());
        }
    }

    /**
     * The account {@code canonicalName}, which must already be canonical (lower case, as
     * {@code UserEntry.canonicalLogin} makes it): a caller that passed {@code Alice} here would give an attacker a
     * second counter for the same account.
     */
    public static Subject account(String canonicalName) {
        Objects.requireNonNull(canonicalName, "canonicalName");
        if (!canonicalName.equals(canonicalName.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Subject: account names must be canonical (lower case)");
        }
        return new Subject(Kind.ACCOUNT, canonicalName);
    }

    /** The source {@code address}: IPv4 as is, IPv6 as its /64 prefix (see the class comment). */
    public static Subject address(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof Inet4Address) {
            return new Subject(Kind.ADDRESS, address.getHostAddress());
        }
        byte[] bytes = address.getAddress();
        if (isIpv4Mapped(bytes)) {
            return new Subject(Kind.ADDRESS, (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "."
                    + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff));
        }
        Arrays.fill(bytes, IPV6_PREFIX_BITS / 8, bytes.length, (byte) 0);
        try {
            // The scope (zone) of a link-local address is dropped with the interface identifier.
            return new Subject(Kind.ADDRESS, compressed(Inet6Address.getByAddress(null, bytes, null))
                    + "/" + IPV6_PREFIX_BITS);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** RFC 5952 text: lower case, longest run of zero groups as {@code ::}. */
    private static String compressed(Inet6Address address) {
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
