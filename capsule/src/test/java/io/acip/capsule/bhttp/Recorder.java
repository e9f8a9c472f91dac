package io.acip.capsule.bhttp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a decoder's reports. Adjacent content is merged, since how content is split into calls depends only on how
 * the input was fed; the pieces themselves are kept aside for tests about bounded, zero-copy delivery.
 */
final class Recorder implements BinaryHttpListener {
    final List<Event> events = new ArrayList<>();
    final List<ByteBuffer> contentViews = new ArrayList<>();
    private final boolean keepViews;
    long contentBytes;
    int largestPiece;

    Recorder() {
        this(false);
    }

    Recorder(boolean keepViews) {
        this.keepViews = keepViews;
    }

    @Override
    public void onInformational(ResponseHead informational) {
        events.add(new Event.Informational(informational));
    }

    @Override
    public void onRequestHead(RequestHead head, Fields headers) {
        events.add(new Event.Request(head, headers));
    }

    @Override
    public void onResponseHead(ResponseHead head) {
        events.add(new Event.Response(head));
    }

    @Override
    public void onContent(ByteBuffer content) {
        contentBytes += content.remaining();
        largestPiece = Math.max(largestPiece, content.remaining());
        if (keepViews) {
            contentViews.add(content);
            return;
        }
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        String piece = new String(bytes, StandardCharsets.ISO_8859_1);
        int last = events.size() - 1;
        if (last >= 0 && events.get(last) instanceof Event.Content previous) {
            events.set(last, new Event.Content(previous.bytes() + piece));
        } else {
            events.add(new Event.Content(piece));
        }
    }

    @Override
    public void onTrailers(Fields trailers) {
        events.add(new Event.Trailers(trailers));
    }

    @Override
    public void onComplete() {
        events.add(new Event.Complete());
    }
}
