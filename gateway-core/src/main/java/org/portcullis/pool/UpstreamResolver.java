package org.portcullis.pool;

import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Resolves upstream host names without blocking an event loop. The operating system's resolver (hosts file, DNS,
 * its cache) does the work on a small bounded pool; address literals are parsed on the spot. A full queue fails the
 * lookup (the client gets 502) rather than piling up work.
 */
final class UpstreamResolver {
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), runnable -> {
                Thread thread = new Thread(runnable, "portcullis-upstream-dns");
                thread.setDaemon(true);
                return thread;
            });

    private UpstreamResolver() {
    }

    /** Completes on {@code loop} with the first address of {@code host}. */
    static Future<InetAddress> resolve(String host, EventLoop loop) {
        Promise<InetAddress> promise = loop.newPromise();
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return promise.setSuccess(InetAddress.getByAddress(host, literal));
            } catch (UnknownHostException e) {
                return promise.setFailure(e);
            }
        }
        try {
            POOL.execute(() -> {
                try {
                    InetAddress address = InetAddress.getByName(host);
                    loop.execute(() -> promise.trySuccess(address));
                } catch (UnknownHostException | RuntimeException e) {
                    loop.execute(() -> promise.tryFailure(e));
                }
            });
        } catch (RejectedExecutionException e) {
            promise.setFailure(e);
        }
        return promise;
    }
}
