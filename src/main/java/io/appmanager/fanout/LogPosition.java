package io.appmanager.fanout;

/**
 * Where an entry sits in the shared log: the epoch (one unbroken history) and the entry's id within
 * it, {@code millis-sequence} like a Redis stream id. Positions compare only within one epoch.
 */
public record LogPosition(String epoch, long millis, long sequence) implements Comparable<LogPosition> {

    /** Parses a stream id such as {@code 1732460000000-3}; IllegalArgumentException when it is not one. */
    public static LogPosition of(String epoch, String streamId) {
        int dash = streamId.indexOf('-');
        if (dash <= 0 || dash == streamId.length() - 1) {
            throw new IllegalArgumentException("not a stream id: " + streamId);
        }
        try {
            return new LogPosition(epoch, Long.parseLong(streamId.substring(0, dash)), Long.parseLong(streamId.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stream id: " + streamId, e);
        }
    }

    /** The position before every entry of an epoch. */
    public static LogPosition start(String epoch) {
        return new LogPosition(epoch, 0, 0);
    }

    public String streamId() {
        return millis + "-" + sequence;
    }

    public boolean sameEpoch(LogPosition other) {
        return other != null && epoch.equals(other.epoch);
    }

    @Override
    public int compareTo(LogPosition o) {
        if (!epoch.equals(o.epoch)) {
            throw new IllegalArgumentException("positions of different epochs do not compare: " + this + ", " + o);
        }
        int c = Long.compare(millis, o.millis);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return epoch + "/" + streamId();
    }
}
