package io.appmanager.bench;

import java.util.BitSet;
import java.util.List;

/**
 * Whether every session got every published event exactly once and in publish order, across a
 * drop and its replay: the reconnect storm's "events lost" (must be 0). Needs the sessions to keep
 * their indexes and a publisher with one request in flight (index order is publish order).
 *
 * @param lost        events a session never received, summed over sessions
 * @param duplicated  events a session received more than once (each extra copy counts)
 * @param outOfOrder  events that arrived after one with a higher index
 */
record Delivery(long lost, long duplicated, long outOfOrder) {

    static Delivery check(Subscribers sessions, long published) {
        long lost = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        for (int i = 0; i < sessions.size(); i++) {
            List<Long> indexes = sessions.indexes(i);
            BitSet seen = new BitSet((int) published);
            long previous = -1;
            for (long index : indexes) {
                if (index >= 0 && index < published) {
                    if (seen.get((int) index)) {
                        duplicated++;
                    }
                    seen.set((int) index);
                }
                if (index < previous) {
                    outOfOrder++;
                }
                previous = Math.max(previous, index);
            }
            lost += published - seen.cardinality();
        }
        return new Delivery(lost, duplicated, outOfOrder);
    }
}
