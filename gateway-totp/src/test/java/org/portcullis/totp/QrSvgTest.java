package org.portcullis.totp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Reads the rendered SVG back into modules and decodes them with zxing's reader, as a phone camera would. */
class QrSvgTest {

    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern PATH_DATA = Pattern.compile(" d=\"([^\"]*)\"");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
    private static final int PIXELS_PER_MODULE = 4;

    private static final String URI = OtpAuthUri.build("Portcullis", "alice@example.org",
            TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), TotpParameters.defaults());

    @Test
    void svgIsCompactCrispAndHasTheQuietZone() {
        String svg = QrSvg.render(URI);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("shape-rendering=\"crispEdges\"")
                .endsWith("</svg>")
                .doesNotContain("<script");
        BitMatrix modules = parse(svg);
        int size = modules.getWidth();
        for (int i = 0; i < size; i++) {
            for (int margin = 0; margin < QrSvg.QUIET_ZONE; margin++) {
                assertThat(modules.get(i, margin) || modules.get(margin, i)
                        || modules.get(i, size - 1 - margin) || modules.get(size - 1 - margin, i))
                        .as("quiet zone at %d/%d", i, margin).isFalse();
            }
        }
        // the finder pattern's dark corner sits right inside the quiet zone
        assertThat(modules.get(QrSvg.QUIET_ZONE, QrSvg.QUIET_ZONE)).isTrue();
    }

    @Test
    void svgPathReproducesTheEncodedMatrixExactly() {
        assertThat(parse(QrSvg.render(URI))).isEqualTo(QrSvg.matrix(URI));
    }

    @Test
    void svgDecodesBackToTheOtpAuthUri() throws Exception {
        BitMatrix modules = parse(QrSvg.render(URI));
        int side = modules.getWidth() * PIXELS_PER_MODULE;
        int[] pixels = new int[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                boolean dark = modules.get(x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE);
                pixels[y * side + x] = dark ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
        Result result = new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
        assertThat(result.getText()).isEqualTo(URI);
        assertThat(result.getResultMetadata().get(com.google.zxing.ResultMetadataType.ERROR_CORRECTION_LEVEL))
                .isEqualTo("M");
    }

    /** Turns the SVG's runs back into a module matrix; fails on any path command the renderer should not emit. */
    private static BitMatrix parse(String svg) {
        Matcher viewBox = VIEW_BOX.matcher(svg);
        assertThat(viewBox.find()).isTrue();
        int size = Integer.parseInt(viewBox.group(1));
        assertThat(Integer.parseInt(viewBox.group(2))).isEqualTo(size);
        Matcher path = PATH_DATA.matcher(svg);
        assertThat(path.find()).isTrue();
        String data = path.group(1);
        BitMatrix modules = new BitMatrix(size, size);
        Matcher run = RUN.matcher(data);
        int consumed = 0;
        while (run.find()) {
            assertThat(run.start()).as("unexpected path data at %d", consumed).isEqualTo(consumed);
            consumed = run.end();
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int width = Integer.parseInt(run.group(3));
            assertThat(run.group(4)).isEqualTo(run.group(3));
            modules.setRegion(x, y, width, 1);
        }
        assertThat(consumed).isEqualTo(data.length());
        return modules;
    }
}
