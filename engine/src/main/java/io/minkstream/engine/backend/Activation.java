package io.minkstream.engine.backend;

/**
 * Pointwise non-linearities with PyTorch's definitions (MinkowskiEngine wraps torch.nn).
 * {@code parameter} is LeakyReLU's negative slope or ELU's alpha; unused otherwise.
 */
public record Activation(Kind kind, float parameter) {

    public enum Kind { IDENTITY, RELU, LEAKY_RELU, ELU, SIGMOID, TANH, GELU }

    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0f);
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    public static final Activation GELU = new Activation(Kind.GELU, 0f);

    public static Activation leakyRelu(float negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope);
    }

    public static Activation elu(float alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    public float apply(float x) {
        return switch (kind) {
            case IDENTITY -> x;
            case RELU -> x > 0f ? x : 0f;
            case LEAKY_RELU -> x > 0f ? x : parameter * x;
            case ELU -> x > 0f ? x : (float) (parameter * Math.expm1(x));
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case TANH -> (float) Math.tanh(x);
            // torch.nn.GELU's default (exact, erf-based) form.
            case GELU -> (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))));
        };
    }
}
