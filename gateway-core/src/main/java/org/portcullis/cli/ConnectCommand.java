package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.portcullis.connect.Browser;
import org.portcullis.connect.ConnectClient;
import org.portcullis.connect.GatewayEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis connect --gateway https://login.example.org NAME [--listen 127.0.0.1:PORT]}: carries every TCP
 * connection to a local loopback port through the gateway to the {@code tcp_targets} entry NAME, one WebSocket over
 * HTTPS each, after a sign-in in the browser (docs/connect.md). Every argument is checked before anything starts;
 * a bad one is exit code 2 with a message naming it. Runs until interrupted; exit 1 when the listener cannot be
 * opened or the first sign-in fails.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"Reach a TCP service (database, SSH, VNC, …) through the gateway after a two-factor sign-in.",
            "Listens on a local loopback port; point your client (psql, ssh, …) at it."})
public final class ConnectCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9a-fA-F:]+\\]");

    @Spec
    CommandSpec spec;

    @Option(names = "--gateway", required = true, paramLabel = "URL",
            description = "The gateway's portal URL, https://HOST[:PORT] (as your organisation gives it).")
    String gateway;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service's name in the gateway's tcp_targets.")
    String target;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
            description = "Loopback address and port to listen on (default ${DEFAULT-VALUE}: a free port, printed).")
    String listen;

    @Option(names = "--no-browser", description = "Print the sign-in address instead of opening a browser.")
    boolean noBrowser;

    @Option(names = "--device", description = {"Sign in with a code typed into the portal on another device (for a"
            + " computer without a browser).", "Only where the gateway allows it (connect.device_code)."})
    boolean device;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file for the gateway (a private CA).")
    Path caFile;

    @Option(names = "--connect-to", paramLabel = "HOST",
            description = "Dial this host or address instead of the URL's host; TLS still checks the URL's host name.")
    String connectTo;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        URI url = gatewayUrl();
        String name = targetName();
        InetSocketAddress address = listenAddress();
        String dial = dialHost(url);
        SSLContext tls = trust();
        PrintWriter out = new PrintWriter(spec.commandLine().getOut(), true);
        PrintWriter err = new PrintWriter(spec.commandLine().getErr(), true);
        GatewayEndpoint endpoint = new GatewayEndpoint(url, dial, tls);
        ConnectClient client = device
                ? ConnectClient.withDeviceCode(endpoint, name, address, err, Duration.ofMinutes(5))
                : new ConnectClient(endpoint, name, address, noBrowser ? Browser.printing(err) : Browser.system(err),
                        err, Duration.ofMinutes(5));
        InetSocketAddress bound;
        try {
            bound = client.start();
        } catch (IOException e) {
            err.println("portcullis connect: cannot listen on " + listen + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(client::close));
        out.println("portcullis connect: " + name + " on " + hostText(bound) + " (through " + url + ")");
        try {
            client.signIn();
        } catch (Exception e) {
            err.println("portcullis connect: sign-in failed: " + e.getMessage());
            client.close();
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        return 0;
    }

    private URI gatewayUrl() {
        URI url;
        try {
            url = new URI(gateway);
        } catch (URISyntaxException e) {
            throw usage("--gateway: '" + gateway + "' is not a URL (expected https://HOST[:PORT])");
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null
                || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
            throw usage("--gateway: '" + gateway + "' must be https://HOST[:PORT] with nothing after the host"
                    + " and port (the token travels only over TLS)");
        }
        return URI.create("https://" + url.getRawAuthority());
    }

    private String targetName() {
        if (!NAME.matcher(target).matches()) {
            throw usage("NAME: '" + target + "' is not a service name (1 to 64 of a-z, 0-9, _ and -)");
        }
        return target;
    }

    /** A loopback address only: anything else would let the network use the tunnel without signing in. */
    private InetSocketAddress listenAddress() {
        Matcher matcher = LISTEN.matcher(listen);
        if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
            throw usage("--listen: '" + listen + "' must be HOST:PORT with a port from 0 to 65535,"
                    + " e.g. 127.0.0.1:15432");
        }
        String host = matcher.group(1).startsWith("[") ? matcher.group(1).substring(1, matcher.group(1).length() - 1)
                : matcher.group(1);
        InetAddress address;
        try {
            address = host.equals("localhost") ? InetAddress.getByName("127.0.0.1")
                    : host.matches("[0-9.]+|[0-9a-fA-F:]+") ? InetAddress.getByName(host) : null;
        } catch (IOException e) {
            address = null;
        }
        if (address == null || !address.isLoopbackAddress()) {
            throw usage("--listen: '" + listen + "' is not a loopback address (use 127.0.0.1, [::1] or localhost):"
                    + " the local port is not protected, anyone who can reach it uses your session");
        }
        return new InetSocketAddress(address, Integer.parseInt(matcher.group(2)));
    }

    private String dialHost(URI url) {
        if (connectTo == null) {
            return url.getHost();
        }
        if (!HOST.matcher(connectTo).matches()) {
            throw usage("--connect-to: '" + connectTo + "' is not a host name or address");
        }
        return connectTo.startsWith("[") ? connectTo.substring(1, connectTo.length() - 1) : connectTo;
    }

    private SSLContext trust() {
        try {
            if (caFile == null) {
                return GatewayEndpoint.defaultTrust();
            }
            if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
                throw usage("--ca-file: '" + caFile + "' is not a readable file");
            }
            return GatewayEndpoint.trusting(caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw usage("--ca-file: '" + caFile + "' holds no usable PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static String hostText(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
