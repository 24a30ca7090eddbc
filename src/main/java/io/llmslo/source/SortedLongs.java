package io.llmslo.source;

import java.util.Arrays;

/**
 * A multiset of longs kept sorted, for a median that follows a sliding window: insert and remove
 * are a binary search and a shift of at most the window's size, the median is one read, where
 * copying and sorting the window for every record was not.
 */
final class SortedLongs {

    private long[] v;
    private int size;

    SortedLongs(int capacity) {
        v = new long[Math.max(1, capacity)];
    }

    int size() {
        return size;
    }

    void add(long x) {
        if (size == v.length) {
            v = Arrays.copyOf(v, size * 2);
        }
        int at = Arrays.binarySearch(v, 0, size, x);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(v, at, v, at + 1, size - at);
        v[at] = x;
        size++;
    }

    /** Removes one occurrence of {@code x}, which must be present. */
    void remove(long x) {
        int at = Arrays.binarySearch(v, 0, size, x);
        if (at < 0) {
            throw new IllegalStateException("not present: " + x);
        }
        System.arraycopy(v, at + 1, v, at, size - at - 1);
        size--;
    }

    /** The element at index size/2 of the sorted values (the upper median), as {@code sort(v)[n / 2]}. */
    long median() {
        return v[size / 2];
    }
}
