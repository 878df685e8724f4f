package org.portcullis.totp;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Renders a QR code (ISO/IEC 18004, via zxing) as inline SVG, so the enrolment page needs no image endpoint and no
 * script: the code is part of the HTML and is never cached as a separate resource.
 *
 * <p>Error correction M (15 %), a quiet zone of 4 modules as the standard requires, one SVG unit per module, and
 * {@code shape-rendering="crispEdges"} so browsers do not blur module edges. Each run of dark modules in a row
 * becomes one {@code M x y h n v1 h -n z} sub-path, which keeps the markup small.
 */
public final class QrSvg {

    /** Modules of light margin around the symbol (ISO/IEC 18004 §7.3.7). */
    public static final int QUIET_ZONE = 4;

    private QrSvg() {
    }

    /** An {@code <svg>} element showing {@code content}; it scales to its container. */
    public static String render(String content) {
        BitMatrix matrix = matrix(content);
        int size = matrix.getWidth();
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + ' ' + size
                + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path(matrix) + "\"/></svg>";
    }

    /** The module matrix including the quiet zone, one bit per module. */
    static BitMatrix matrix(String content) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, QUIET_ZONE);
        hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        try {
            // width/height 0: zxing returns exactly one matrix cell per module, no scaling
            return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("content does not fit in a QR code", e);
        }
    }

    private static String path(BitMatrix matrix) {
        StringBuilder d = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y++) {
            int x = 0;
            while (x < matrix.getWidth()) {
                if (!matrix.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < matrix.getWidth() && matrix.get(x, y)) {
                    x++;
                }
                int run = x - start;
                d.append('M').append(start).append(' ').append(y)
                        .append('h').append(run).append("v1h-").append(run).append('z');
            }
        }
        return d.toString();
    }
}
