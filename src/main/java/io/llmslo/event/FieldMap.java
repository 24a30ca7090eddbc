package io.llmslo.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fields of one parsed JSON object, in reading order, as the parser's tree holds them. A
 * record has about twenty fields, and a {@link LinkedHashMap} allocated a node per field and
 * linked it twice (a tenth of the parse); here they are three parallel arrays, and a lookup
 * scans the field names' cached hashes. Beyond {@value #SCAN_LIMIT} fields (hostile input: an
 * object of 100 000 fields must not make each insert a scan) it is a {@link LinkedHashMap} again.
 */
final class FieldMap extends AbstractMap<String, JsonNode> {

    static final int SCAN_LIMIT = 32;

    private String[] keys = new String[8];
    private int[] hashes = new int[8];
    private JsonNode[] values = new JsonNode[8];
    private int size;
    /** Set once the object has more than SCAN_LIMIT fields; then the arrays are unused. */
    private LinkedHashMap<String, JsonNode> large;

    @Override
    public int size() {
        return large != null ? large.size() : size;
    }

    @Override
    public JsonNode get(Object key) {
        if (large != null) {
            return large.get(key);
        }
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return large != null ? large.containsKey(key) : indexOf(key) >= 0;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        if (large != null) {
            return large.put(key, value);
        }
        int i = indexOf(key);
        if (i >= 0) {
            JsonNode old = values[i];
            values[i] = value;
            return old;
        }
        if (size == SCAN_LIMIT) {
            large = new LinkedHashMap<>(SCAN_LIMIT * 4);
            for (int k = 0; k < size; k++) {
                large.put(keys[k], values[k]);
            }
            keys = null;
            hashes = null;
            values = null;
            return large.put(key, value);
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        hashes[size] = key == null ? 0 : key.hashCode();
        values[size] = value;
        size++;
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        if (large != null) {
            return large.remove(key);
        }
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        JsonNode old = values[i];
        removeAt(i);
        return old;
    }

    @Override
    public void clear() {
        large = null;
        keys = new String[8];
        hashes = new int[8];
        values = new JsonNode[8];
        size = 0;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        if (large != null) {
            return large.entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public int size() {
                return FieldMap.this.size();
            }

            @Override
            public Iterator<Map.Entry<String, JsonNode>> iterator() {
                return large != null ? large.entrySet().iterator() : new Entries();
            }
        };
    }

    private int indexOf(Object key) {
        int h = key == null ? 0 : key.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h && (keys[i] == key || (key != null && key.equals(keys[i])))) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(hashes, i + 1, hashes, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        keys[size] = null;
        values[size] = null;
    }

    /** Entries in reading order; {@code setValue} and {@code remove} write through. */
    private final class Entries implements Iterator<Map.Entry<String, JsonNode>> {
        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            int at = last;
            return new SimpleEntry<>(keys[at], values[at]) {
                @Override
                public JsonNode setValue(JsonNode value) {
                    values[at] = value;
                    return super.setValue(value);
                }
            };
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            removeAt(last);
            next = last;
            last = -1;
        }
    }
}
