package org.portcullis.signin;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.totp.TotpAlgorithm;
import org.portcullis.totp.TotpParameters;

/**
 * Reads the enrolment page's QR code as a phone camera would: the inline {@code <svg>} is rasterised (its path is
 * runs of dark modules, {@code M x y h n v1 h -n z}, which {@code QrSvg} emits) and decoded with zxing's QR reader,
 * not with anything of ours. The decoded {@code otpauth://} URI then gives the secret and the parameters an app would
 * use (Key Uri Format).
 */
final class EnrolmentQr {
    private static final Pattern SVG = Pattern.compile("<svg [^>]*viewBox=\"0 0 (\\d+) (\\d+)\"[^>]*>(.*?)</svg>",
            Pattern.DOTALL);
    private static final Pattern PATH_DATA = Pattern.compile("<path [^>]*\\bd=\"([^\"]*)\"");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\3z");
    private static final int PIXELS_PER_MODULE = 4;

    /** What an authenticator app takes from the QR code. */
    record Scanned(String uri, String secret, TotpParameters parameters, String label, String issuer) {
    }

    private EnrolmentQr() {
    }

    /** Decodes the first QR code in {@code html} and reads its {@code otpauth://totp/} URI. */
    static Scanned scan(String html) {
        String uri = decode(html);
        URI parsed = URI.create(uri);
        if (!"otpauth".equals(parsed.getScheme()) || !"totp".equals(parsed.getHost())) {
            throw new AssertionError("not an otpauth://totp URI: " + uri);
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : parsed.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        TotpParameters parameters = new TotpParameters(
                TotpAlgorithm.valueOf(query.getOrDefault("algorithm", "SHA1")),
                Integer.parseInt(query.getOrDefault("digits", "6")),
                Integer.parseInt(query.getOrDefault("period", "30")), TotpParameters.DEFAULT_WINDOW);
        return new Scanned(uri, query.get("secret"), parameters, parsed.getPath().substring(1), query.get("issuer"));
    }

    /** The text of the first QR code in {@code html}, decoded by zxing from the rasterised SVG. */
    static String decode(String html) {
        Matcher svg = SVG.matcher(html);
        if (!svg.find()) {
            throw new AssertionError("no <svg> on the page");
        }
        int size = Integer.parseInt(svg.group(1));
        Matcher path = PATH_DATA.matcher(svg.group(3));
        if (!path.find()) {
            throw new AssertionError("no <path> in the QR code's SVG");
        }
        int side = size * PIXELS_PER_MODULE;
        int[] pixels = new int[side * side];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher run = RUN.matcher(path.group(1));
        int consumed = 0;
        while (run.find()) {
            if (run.start() != consumed) {
                throw new AssertionError("unexpected SVG path data at " + consumed);
            }
            consumed = run.end();
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int width = Integer.parseInt(run.group(3));
            for (int py = y * PIXELS_PER_MODULE; py < (y + 1) * PIXELS_PER_MODULE; py++) {
                java.util.Arrays.fill(pixels, py * side + x * PIXELS_PER_MODULE,
                        py * side + (x + width) * PIXELS_PER_MODULE, 0xFF000000);
            }
        }
        if (consumed != path.group(1).length()) {
            throw new AssertionError("unexpected SVG path data at " + consumed);
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        } catch (NotFoundException | ChecksumException | FormatException e) {
            throw new AssertionError("zxing could not read the QR code", e);
        }
    }
}
