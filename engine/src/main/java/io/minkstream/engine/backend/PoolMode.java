package io.minkstream.engine.backend;

/** How pooling combines the inputs of one output row. AVG divides by the inputs that exist. */
public enum PoolMode { MAX, AVG, SUM }
