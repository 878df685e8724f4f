/**
 * The Remote Desktop Gateway protocol (MS-TSGU, HTTP transport) as plain Java: the packets a client sends
 * ({@link org.portcullis.rdg.ClientPacket}), a strict incremental decoder that refuses truncated, oversized,
 * unknown and out-of-order packets and never buffers more than its cap whatever a length field declares
 * ({@link org.portcullis.rdg.ClientPacketDecoder}), the gateway's answers ({@link org.portcullis.rdg.ServerPackets}),
 * and the two ways the packets travel: chunked request bodies on the IN channel ({@link
 * org.portcullis.rdg.ChunkedStream}) and WebSocket frames ({@link org.portcullis.rdg.WebSocketFrames}). No Netty, no
 * configuration: the gateway feeds it bytes and acts on what comes out.
 */
package org.portcullis.rdg;
