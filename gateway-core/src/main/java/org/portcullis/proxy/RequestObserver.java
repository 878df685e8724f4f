package org.portcullis.proxy;

/**
 * Told of every request the gateway serves, from the one place requests are written down ({@link RequestJournal}):
 * the metrics and the shutdown's count of requests in flight. Called on the event loop, once per request start and
 * once per end, so an implementation does no I/O, takes no lock and builds no strings; every argument is a constant
 * (route names come from the config, outcomes from closed sets of codes), never a path or an address.
 */
public interface RequestObserver {
    /** Observes nothing. */
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void started() {
        }

        @Override
        public void ended(String route, String decision, int status, String outcome, long micros) {
        }

        @Override
        public void abandoned() {
        }
    };

    /** A request head (or a refusal before one) arrived. */
    void started();

    /**
     * The request was answered.
     *
     * @param route    the route's name, {@code portal} for the gateway's own pages, or null when none matched
     * @param decision {@code forwarded}, {@code portal}, {@code challenged} or {@code refused}
     * @param outcome  the outcome code of the access log
     * @param micros   time from the head to the end of the answer
     */
    void ended(String route, String decision, int status, String outcome, long micros);

    /** The connection ended before the request was answered (nothing was written for it). */
    void abandoned();
}
