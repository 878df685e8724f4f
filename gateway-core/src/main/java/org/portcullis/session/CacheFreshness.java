package org.portcullis.session;

/**
 * Whether this node may still answer signed-in requests, or must refuse them because it may have missed another
 * node's invalidations for longer than the staleness budget ({@link SessionFanOut}). A single gateway is always fresh.
 */
@FunctionalInterface
public interface CacheFreshness {
    CacheFreshness ALWAYS = () -> true;

    boolean fresh();
}
