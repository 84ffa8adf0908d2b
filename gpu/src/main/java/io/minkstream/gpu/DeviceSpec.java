package io.minkstream.gpu;

import java.util.Locale;

/**
 * The {@code --device} option: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
 *
 * @param index the CUDA device for {@code cuda:N}, or -1 for {@code cuda} (Flink's GPU if assigned, else 0)
 */
public record DeviceSpec(Kind kind, int index) {
    public enum Kind { AUTO, CPU, CUDA }

    public static DeviceSpec parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return new DeviceSpec(Kind.AUTO, -1);
        if (s.equals("cpu")) return new DeviceSpec(Kind.CPU, -1);
        if (s.equals("cuda") || s.equals("gpu")) return new DeviceSpec(Kind.CUDA, -1);
        if (s.startsWith("cuda:")) {
            try {
                int index = Integer.parseInt(s.substring(5));
                if (index >= 0) return new DeviceSpec(Kind.CUDA, index);
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N (N >= 0), got '" + spec + "'");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> index < 0 ? "cuda" : "cuda:" + index;
        };
    }
}
