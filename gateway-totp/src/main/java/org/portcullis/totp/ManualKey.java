package org.portcullis.totp;

/**
 * The secret as a person types it when the QR code cannot be scanned: unpadded Base32 in groups of four characters
 * separated by single spaces ({@code JBSW Y3DP EHPK 3PXP}). Apps ignore the spaces.
 */
public final class ManualKey {

    private static final int GROUP = 4;

    private ManualKey() {
    }

    public static String format(TotpSecret secret) {
        String base32 = secret.base32();
        StringBuilder out = new StringBuilder(base32.length() + base32.length() / GROUP);
        for (int i = 0; i < base32.length(); i++) {
            if (i > 0 && i % GROUP == 0) {
                out.append(' ');
            }
            out.append(base32.charAt(i));
        }
        return out.toString();
    }
}
