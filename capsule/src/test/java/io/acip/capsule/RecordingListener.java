package io.acip.capsule;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records what a {@link CapsuleParser} delivers, as "type:hexvalue" and "skip:type:length" lines. */
class RecordingListener implements CapsuleListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onCapsule(long type, ByteBuffer value) {
        events.add(Long.toHexString(type) + ":" + Hex.of(value));
    }

    @Override
    public void onSkipped(long type, long length) {
        events.add("skip:" + Long.toHexString(type) + ":" + length);
    }
}
