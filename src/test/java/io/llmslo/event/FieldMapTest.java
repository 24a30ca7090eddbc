package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** A FieldMap behaves as the LinkedHashMap it replaces, below and beyond its scan limit. */
class FieldMapTest {

    @Property(tries = 300)
    void sameAsALinkedHashMap(@ForAll long seed) {
        Random r = new Random(seed);
        FieldMap map = new FieldMap();
        Map<String, JsonNode> want = new LinkedHashMap<>();
        int keys = 1 + r.nextInt(r.nextBoolean() ? 20 : 120);
        for (int op = 0; op < 400; op++) {
            // new String: equal keys that are not the same object, as parsed names may be
            String k = new String("k" + r.nextInt(keys));
            JsonNode v = IntNode.valueOf(r.nextInt(100));
            switch (r.nextInt(10)) {
                case 0 -> assertThat(map.remove(k)).isEqualTo(want.remove(k));
                case 1 -> assertThat(map.containsKey(k)).isEqualTo(want.containsKey(k));
                case 2 -> assertThat(map.get(k)).isEqualTo(want.get(k));
                case 3 -> {
                    Iterator<Map.Entry<String, JsonNode>> a = map.entrySet().iterator();
                    Iterator<Map.Entry<String, JsonNode>> b = want.entrySet().iterator();
                    while (b.hasNext()) {
                        Map.Entry<String, JsonNode> x = a.next();
                        Map.Entry<String, JsonNode> y = b.next();
                        assertThat(x).isEqualTo(y);
                        if (r.nextInt(8) == 0) {
                            a.remove();
                            b.remove();
                        } else if (r.nextInt(8) == 0) {
                            x.setValue(v);
                            y.setValue(v);
                        }
                    }
                    assertThat(a.hasNext()).isFalse();
                }
                default -> assertThat(map.put(k, v)).isEqualTo(want.put(k, v));
            }
            assertThat(map.size()).isEqualTo(want.size());
        }
        assertThat(new ArrayList<>(map.entrySet())).isEqualTo(new ArrayList<>(want.entrySet()));
        assertThat(map).isEqualTo(want);
        assertThat(map.hashCode()).isEqualTo(want.hashCode());
        assertThat(map.toString()).isEqualTo(want.toString());
        List<String> order = new ArrayList<>(map.keySet());
        assertThat(order).containsExactlyElementsOf(want.keySet());
    }
}
