package org.portcullis.server;

import java.net.BindException;
import java.util.Locale;

/**
 * A listener that could not be opened, said in the operator's terms: which address, and why. Netty's native
 * transport reports a taken port as {@code bind(..) failed with error(-98): Address already in use}, naming neither
 * the address nor what to do.
 */
public final class ListenFailure extends IllegalStateException {

    private ListenFailure(String message, Throwable cause) {
        super(message, cause);
    }

    static ListenFailure of(String address, Exception cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        boolean inUse = cause instanceof BindException
                || detail.toLowerCase(Locale.ROOT).contains("address already in use");
        if (inUse) {
            return new ListenFailure("cannot listen on " + address + ": the address is already in use (another"
                    + " program, or another Portcullis, listens there)", cause);
        }
        if (detail.toLowerCase(Locale.ROOT).contains("permission denied")) {
            return new ListenFailure("cannot listen on " + address + ": permission denied (ports below 1024 need"
                    + " privileges)", cause);
        }
        return new ListenFailure("cannot listen on " + address + ": " + detail, cause);
    }
}
