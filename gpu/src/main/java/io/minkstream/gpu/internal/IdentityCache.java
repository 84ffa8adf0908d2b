package io.minkstream.gpu.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Device copies of immutable host structures (kernel maps, coordinate maps), keyed by the host
 * object's identity. Keys are weak: when the coordinate manager drops a kernel map, its device copy
 * is released at the next access. The cache is bounded in bytes and evicts the least recently used
 * entries. Not thread-safe; the backend serialises calls.
 *
 * @param <K> the host structure
 * @param <V> its device copy
 */
public final class IdentityCache<K, V> {
    private final long maxBytes;
    private final ToLongFunction<V> sizeOf;
    private final Consumer<V> release;
    private final ReferenceQueue<K> collected = new ReferenceQueue<>();
    private final LinkedHashMap<Key<K>, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    public IdentityCache(long maxBytes, ToLongFunction<V> sizeOf, Consumer<V> release) {
        this.maxBytes = maxBytes;
        this.sizeOf = sizeOf;
        this.release = release;
    }

    /** The cached copy of {@code key}, or null. */
    public V get(K key) {
        expunge();
        Entry<V> e = entries.get(new Key<>(key, null));
        if (e != null) hits++; else misses++;
        return e == null ? null : e.value;
    }

    /**
     * Caches {@code value} for {@code key} (again, when the value grew), evicting least recently
     * used entries beyond the bound.
     */
    public void put(K key, V value) {
        expunge();
        long size = sizeOf.applyAsLong(value);
        Entry<V> previous = entries.put(new Key<>(key, collected), new Entry<>(value, size));
        if (previous != null) {
            bytes -= previous.bytes;
            if (previous.value != value) release.accept(previous.value);
        }
        bytes += size;
        Iterator<Map.Entry<Key<K>, Entry<V>>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Entry<V> eldest = it.next().getValue();
            if (eldest.value == value) continue;  // never evict what was just added
            it.remove();
            bytes -= eldest.bytes;
            release.accept(eldest.value);
        }
    }

    /** Releases every entry. */
    public void clear() {
        for (Entry<V> e : entries.values()) release.accept(e.value);
        entries.clear();
        bytes = 0;
        while (collected.poll() != null) {
            // drop stale references
        }
    }

    private void expunge() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            Entry<V> e = entries.remove(ref);
            if (e != null) {
                bytes -= e.bytes;
                release.accept(e.value);
            }
        }
    }

    public long bytes() {
        return bytes;
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    private record Entry<V>(V value, long bytes) {
    }

    /** A weak reference compared by the referent's identity (a collected key equals only itself). */
    private static final class Key<K> extends WeakReference<K> {
        private final int hash;

        Key(K referent, ReferenceQueue<K> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            if (!(o instanceof Key<?> other)) return false;
            Object mine = get();
            return mine != null && mine == other.get();
        }
    }
}
