package io.reactivewatch.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What an open batch keeps of its elements: the elements themselves (the public {@link Coalescing#batches}
 * stage), or only how many arrived (the daemon, which merged every event into its pending set before it
 * reached the coalescer, so a batch is only a signal and its memory must not grow with the burst).
 * Confined to the batcher that owns it, under that batcher's lock.
 *
 * @param <T> the element type
 * @param <B> what a closed batch is
 */
interface BatchBuffer<T, B> {

    void add(T element);

    /** How many elements the open batch holds; saturates at {@link Integer#MAX_VALUE}. */
    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** The open batch as it is, and an empty one from now on. */
    B take();

    /** Keeps every element: a closed batch is the list of them, in arrival order. */
    static <T> BatchBuffer<T, List<T>> elements() {
        return new BatchBuffer<>() {
            private List<T> open = new ArrayList<>();

            @Override
            public void add(T element) {
                open.add(element);
            }

            @Override
            public int size() {
                return open.size();
            }

            @Override
            public List<T> take() {
                List<T> out = open;
                open = new ArrayList<>();
                return out;
            }
        };
    }

    /** Keeps a count and drops the elements: a closed batch is how many arrived. Constant memory. */
    static <T> BatchBuffer<T, Integer> count() {
        return new BatchBuffer<>() {
            private int count;

            @Override
            public void add(T element) {
                if (count < Integer.MAX_VALUE) {
                    count++;
                }
            }

            @Override
            public int size() {
                return count;
            }

            @Override
            public Integer take() {
                int out = count;
                count = 0;
                return out;
            }
        };
    }
}
