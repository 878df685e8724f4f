package org.portcullis.connect;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Where the sign-in URL goes: the system browser, or the terminal for the user to open it wherever they are. */
public interface Browser {
    void open(String url) throws IOException;

    /** Prints the URL only ({@code --no-browser}). */
    static Browser printing(PrintWriter out) {
        return url -> out.println("Open this address in a browser to sign in:\n  " + url);
    }

    /**
     * Starts the system's browser ({@code xdg-open}, {@code open} on macOS, the URL handler on Windows) and prints the
     * URL too, in case no browser appears.
     */
    static Browser system(PrintWriter out) {
        return url -> {
            out.println("Signing in through your browser. If no browser opens, visit:\n  " + url);
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            List<String> command = os.contains("mac") ? List.of("open", url)
                    : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
                    : List.of("xdg-open", url);
            try {
                new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                out.println("(could not start a browser: " + e.getMessage() + ")");
            }
        };
    }
}
