package org.portcullis.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation. Parsing accepts only numeric addresses, never names, so no DNS lookup
 * ever happens while reading a config. IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) match IPv4 networks.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address (a /32 or /128).
     *
     * @throws IllegalArgumentException with a message fit for a config error
     */
    public static Cidr parse(String value) {
        String trimmed = value.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = parseNumericAddress(addressPart);
        if (address == null) {
            throw new IllegalArgumentException("not a numeric IPv4 or IPv6 address");
        }
        int maxBits = address.length * 8;
        int prefix = maxBits;
        if (slash >= 0) {
            String bits = trimmed.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("prefix length must be a number from 0 to " + maxBits);
            }
            prefix = Integer.parseInt(bits);
            if (prefix > maxBits) {
                throw new IllegalArgumentException("prefix length must be a number from 0 to " + maxBits);
            }
        }
        byte[] masked = mask(address, prefix);
        if (!Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("host bits are set; the network is "
                    + format(masked) + "/" + prefix);
        }
        return new Cidr(masked, prefix, format(masked) + "/" + prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length == 16 && network.length == 4 && isIpv4Mapped(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        if (candidate.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    /** True when every address of {@code other} is also in this network. */
    public boolean covers(Cidr other) {
        return other.network.length == network.length
                && other.prefixLength >= prefixLength
                && Arrays.equals(mask(other.network, prefixLength), network);
    }

    public int prefixLength() {
        return prefixLength;
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = new byte[address.length];
        for (int i = 0; i < address.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            int m = bits == 0 ? 0 : (0xff << (8 - bits)) & 0xff;
            out[i] = (byte) (address[i] & m);
        }
        return out;
    }

    /** Parses a literal address without ever consulting DNS; null when it is not one. */
    static byte[] parseNumericAddress(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
        } else if (!s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            return null;
        } else {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    return null;
                }
            }
        }
        try {
            // Only digits, dots and colons reach here, so this never resolves a name.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Cidr: address of invalid length", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
