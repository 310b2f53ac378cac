package io.tlswatch.streams.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The first {@code max} of the values offered in {@code order}, holding no more than that many. */
final class Top<V> {

    private final Comparator<V> order;
    private final int max;
    private final PriorityQueue<V> worstFirst;

    Top(Comparator<V> order, int max) {
        this.order = order;
        this.max = max;
        this.worstFirst = new PriorityQueue<>(order.reversed());
    }

    void offer(V value) {
        worstFirst.add(value);
        if (worstFirst.size() > max) {
            worstFirst.poll();
        }
    }

    List<V> inOrder() {
        List<V> result = new ArrayList<>(worstFirst);
        result.sort(order);
        return result;
    }
}
