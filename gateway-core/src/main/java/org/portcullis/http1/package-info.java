/**
 * Strict HTTP/1.x decoders that replace Netty's lenient {@code HttpObjectDecoder} on both sides of the gateway.
 *
 * <p>{@link org.portcullis.http1.StrictHttpRequestDecoder} reads client requests and turns every framing ambiguity
 * (SECURITY-RULES 3) and every size bound (SECURITY-RULES 19) into one
 * {@link org.portcullis.ingress.RequestRejected}. {@link org.portcullis.http1.StrictHttpResponseDecoder} reads
 * upstream responses and turns bad framing into one {@link org.portcullis.http1.UpstreamProtocolError}, so a
 * misbehaving upstream ends in a 502 instead of a desynchronised connection.
 *
 * <p>Both work on raw bytes: a head is found with {@code ByteBuf.indexOf}, copied once into a {@code byte[]} and
 * validated there with table lookups; bodies are passed on as retained slices of the input, never copied or
 * aggregated. The grammar is RFC 9112 (HTTP/1.1 message syntax) and RFC 9110 §5 (field syntax).
 */
package org.portcullis.http1;
