/**
 * Binary HTTP (RFC 9292): the {@code message/bhttp} representation an HTTP exchange takes inside an ACIP session.
 *
 * <p>{@link io.acip.capsule.bhttp.KnownLengthEncoder} writes a whole message in one call;
 * {@link io.acip.capsule.bhttp.IndeterminateLengthEncoder} writes one part by part as it becomes known;
 * {@link io.acip.capsule.bhttp.BinaryHttpDecoder} reads either form from fragments of any size, reporting the head
 * as soon as it is complete and content as it arrives, in bounded memory.
 *
 * <p>Strings ({@link io.acip.capsule.bhttp.Field}, {@link io.acip.capsule.bhttp.RequestHead}) map one char to one
 * byte (ISO-8859-1), so any field value HTTP allows round-trips byte for byte.
 */
package io.acip.capsule.bhttp;
