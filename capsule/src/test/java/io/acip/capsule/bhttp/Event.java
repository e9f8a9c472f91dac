package io.acip.capsule.bhttp;

/** What a decoder reported, as values a test can compare; content is kept as one char per byte. */
sealed interface Event {
    record Informational(ResponseHead head) implements Event {
    }

    record Request(RequestHead head, Fields headers) implements Event {
    }

    record Response(ResponseHead head) implements Event {
    }

    record Content(String bytes) implements Event {
    }

    record Trailers(Fields trailers) implements Event {
    }

    record Complete() implements Event {
    }
}
