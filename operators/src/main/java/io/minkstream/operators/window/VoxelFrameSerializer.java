package io.minkstream.operators.window;

import io.minkstream.operators.voxel.VoxelFrame;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * State serializer of {@link VoxelFrame}s. Layout (format version 1): version byte, sequence,
 * timestamp, ingest time, channels, voxel count N, then 3N int coordinates, N*channels floats,
 * a truth flag and N ints when set. The leading version lets a later layout read old savepoints.
 */
public final class VoxelFrameSerializer extends TypeSerializerSingleton<VoxelFrame> {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT_VERSION = 1;

    public static final VoxelFrameSerializer INSTANCE = new VoxelFrameSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public VoxelFrame createInstance() {
        return new VoxelFrame(0, 0, 0, 0, new int[0], new float[0], null);
    }

    @Override
    public VoxelFrame copy(VoxelFrame from) {
        return from;
    }

    @Override
    public VoxelFrame copy(VoxelFrame from, VoxelFrame reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(VoxelFrame f, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(f.sequence());
        out.writeLong(f.timestampMicros());
        out.writeLong(f.ingestMicros());
        out.writeInt(f.channels());
        out.writeInt(f.voxels());
        for (int v : f.coords()) out.writeInt(v);
        for (float v : f.features()) out.writeFloat(v);
        out.writeBoolean(f.truth() != null);
        if (f.truth() != null) for (int v : f.truth()) out.writeInt(v);
    }

    @Override
    public VoxelFrame deserialize(DataInputView in) throws IOException {
        int version = in.readByte();
        if (version != FORMAT_VERSION) throw new IOException("unknown VoxelFrame format version " + version + " (this build reads " + FORMAT_VERSION + ")");
        long sequence = in.readLong();
        long timestamp = in.readLong();
        long ingest = in.readLong();
        int channels = in.readInt();
        int n = in.readInt();
        int[] coords = new int[n * 3];
        for (int i = 0; i < coords.length; i++) coords[i] = in.readInt();
        float[] feats = new float[n * channels];
        for (int i = 0; i < feats.length; i++) feats[i] = in.readFloat();
        int[] truth = null;
        if (in.readBoolean()) {
            truth = new int[n];
            for (int i = 0; i < n; i++) truth[i] = in.readInt();
        }
        return new VoxelFrame(sequence, timestamp, ingest, channels, coords, feats, truth);
    }

    @Override
    public VoxelFrame deserialize(VoxelFrame reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<VoxelFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot for savepoints; restores to the same singleton. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<VoxelFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
