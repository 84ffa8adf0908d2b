// Coordinate hashing on the device: an open-addressing (linear probing) table of packed 64-bit
// keys, filled concurrently with atomicCAS. The capacity is a power of two chosen by the host from
// the configured load factor. Each slot's value is the smallest row inserted with that key
// (atomicMin), so inserting rows with repeats also yields each coordinate's first occurrence,
// which is how `unique` keeps first-appearance order, exactly like the engine's CoordinateMap.unique.
#include "minkstream_cuda.h"

extern "C" __global__ void coordinate_hash_clear(unsigned long long* keys, int* values, int capacity) {
    for (long long i = ms_global_thread(); i < capacity; i += ms_grid_stride()) {
        keys[i] = MS_EMPTY_KEY;
        values[i] = MS_NO_ROW;
    }
}

// Inserts rows [0, n) of `coords`; rows must lie inside `pack`'s ranges (the host derives the
// packing from these very rows, or from a superset of their ranges).
extern "C" __global__ void coordinate_hash_insert(const int* coords, int n, int width, const int* pack,
                                                  unsigned long long* keys, int* values, int log2Capacity) {
    unsigned int mask = (1u << log2Capacity) - 1u;
    for (long long r = ms_global_thread(); r < n; r += ms_grid_stride()) {
        unsigned long long key = ms_pack_row(coords + r * width, width, pack);
        unsigned int slot = ms_slot(key, log2Capacity);
        while (true) {
            unsigned long long previous = atomicCAS(&keys[slot], MS_EMPTY_KEY, key);
            if (previous == MS_EMPTY_KEY || previous == key) {
                atomicMin(&values[slot], (int) r);
                break;
            }
            slot = (slot + 1u) & mask;
        }
    }
}

// rows[q] = row of queries[q], or -1 when absent.
extern "C" __global__ void coordinate_hash_lookup(const int* queries, int n, int width, const int* pack,
                                                  const unsigned long long* keys, const int* values, int log2Capacity,
                                                  int* rows) {
    for (long long q = ms_global_thread(); q < n; q += ms_grid_stride()) {
        const int* c = queries + q * width;
        bool inside = true;
        for (int a = 0; a < width; a++) {
            if (c[a] < pack[a] || c[a] > pack[width + a]) inside = false;
        }
        int row = inside ? ms_probe(ms_pack_row(c, width, pack), keys, values, log2Capacity) : MS_NO_ROW;
        rows[q] = row == MS_NO_ROW ? -1 : row;
    }
}

// flags[r] = 1 when row r is the first occurrence of its coordinate (after coordinate_hash_insert
// of the same rows), else 0.
extern "C" __global__ void coordinate_first_occurrence(const int* coords, int n, int width, const int* pack,
                                                       const unsigned long long* keys, const int* values,
                                                       int log2Capacity, int* flags) {
    for (long long r = ms_global_thread(); r < n; r += ms_grid_stride()) {
        int first = ms_probe(ms_pack_row(coords + r * width, width, pack), keys, values, log2Capacity);
        flags[r] = first == (int) r ? 1 : 0;
    }
}

// Copies first occurrences to their place in the unique list: positions = exclusive scan of flags.
extern "C" __global__ void coordinate_compact(const int* coords, int n, int width, const int* flags,
                                              const int* positions, int* unique) {
    for (long long r = ms_global_thread(); r < n; r += ms_grid_stride()) {
        if (flags[r]) {
            long long to = (long long) positions[r] * width;
            for (int a = 0; a < width; a++) unique[to + a] = coords[r * width + a];
        }
    }
}
