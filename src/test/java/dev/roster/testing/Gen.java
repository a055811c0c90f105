package dev.roster.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The random values of one try of a {@link Property}, drawn from one seeded generator, so that the seed replays them.
 * Numbers fall on their edges (the bounds, zero, one off the bounds) one time in sixteen, and sizes on their bounds one
 * time in eight, because that is where the bugs live and a uniform draw seldom lands there.
 */
public final class Gen {
    private static final int EDGE_ONE_IN = 16;
    private static final int SIZE_EDGE_ONE_IN = 8;
    private static final int FILTER_ATTEMPTS = 10_000;

    private final SplittableRandom random;

    Gen(SplittableRandom random) {
        this.random = random;
    }

    /** The characters from {@code first} to {@code last}, both included, as an alphabet for {@link #string}. */
    public static String chars(char first, char last) {
        StringBuilder out = new StringBuilder();
        for (char c = first; c <= last; c++) {
            out.append(c);
        }
        return out.toString();
    }

    public static final String LOWER = chars('a', 'z');
    public static final String UPPER = chars('A', 'Z');
    public static final String ALPHA = LOWER + UPPER;
    public static final String DIGITS = chars('0', '9');

    public boolean bool() {
        return random.nextBoolean();
    }

    /** True with the given probability. */
    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** An int from min to max, both included. */
    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** A long from min to max, both included. */
    public long longBetween(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        if (random.nextInt(EDGE_ONE_IN) == 0) {
            long[] edges = {min, max, 0, 1, -1, min + 1, max - 1};
            long edge = edges[random.nextInt(edges.length)];
            if (edge >= min && edge <= max) {
                return edge;
            }
        }
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return random.nextLong();
        }
        return max == Long.MAX_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong(min, max + 1);
    }

    /** Any long: the whole range, its edges included. */
    public long anyLong() {
        return longBetween(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Any double: small and large magnitudes of both signs, with the edges (zeros, the smallest and largest values,
     * the infinities and NaN) now and then.
     */
    public double anyDouble() {
        if (random.nextInt(EDGE_ONE_IN) == 0) {
            double[] edges = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            return edges[random.nextInt(edges.length)];
        }
        double magnitude = Math.pow(10, random.nextDouble(-10, 20));
        return random.nextBoolean() ? magnitude : -magnitude;
    }

    /** A decimal of the given scale from min to max, both included. */
    public BigDecimal decimal(BigDecimal min, BigDecimal max, int scale) {
        BigInteger low = min.setScale(scale, java.math.RoundingMode.CEILING).unscaledValue();
        BigInteger high = max.setScale(scale, java.math.RoundingMode.FLOOR).unscaledValue();
        return new BigDecimal(BigInteger.valueOf(longBetween(low.longValueExact(), high.longValueExact())), scale);
    }

    public byte anyByte() {
        return (byte) intBetween(Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    /** Random bytes, from min to max of them. */
    public byte[] bytes(int minSize, int maxSize) {
        byte[] out = new byte[size(minSize, maxSize)];
        for (int i = 0; i < out.length; i++) {
            out[i] = anyByte();
        }
        return out;
    }

    /** One of the values, each as likely. */
    @SafeVarargs
    public final <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One of the values, each as likely. */
    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The value of one of the suppliers, each as likely. */
    @SafeVarargs
    public final <T> T oneOf(Supplier<? extends T>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    /** Null with the given probability, else the supplier's value. */
    public <T> T orNull(double probability, Supplier<T> value) {
        return chance(probability) ? null : value.get();
    }

    /** A string of characters from the alphabet, of a length from min to max. */
    public String string(String alphabet, int minLength, int maxLength) {
        int length = size(minLength, maxLength);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** A list of values from the supplier, of a size from min to max. */
    public <T> List<T> list(int minSize, int maxSize, Supplier<T> element) {
        int size = size(minSize, maxSize);
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.get());
        }
        return out;
    }

    /** A list of distinct values from the supplier, of a size from min to max (smaller if the supplier runs dry). */
    public <T> List<T> uniqueList(int minSize, int maxSize, Supplier<T> element) {
        int size = size(minSize, maxSize);
        Set<T> out = new LinkedHashSet<>();
        for (int attempt = 0; out.size() < size && attempt < FILTER_ATTEMPTS; attempt++) {
            out.add(element.get());
        }
        if (out.size() < minSize) {
            throw new IllegalStateException("could not draw " + minSize + " distinct values");
        }
        return new ArrayList<>(out);
    }

    /** A map of distinct keys, of a size from min to max (smaller if the keys run dry). */
    public <K, V> Map<K, V> map(int minSize, int maxSize, Supplier<K> key, Supplier<V> value) {
        Map<K, V> out = new LinkedHashMap<>();
        for (K k : uniqueList(minSize, maxSize, key)) {
            out.put(k, value.get());
        }
        return out;
    }

    /** A value from the supplier that passes the filter. */
    public <T> T filtered(Supplier<T> value, Predicate<T> filter) {
        for (int attempt = 0; attempt < FILTER_ATTEMPTS; attempt++) {
            T candidate = value.get();
            if (filter.test(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no value passed the filter in " + FILTER_ATTEMPTS + " attempts");
    }

    private int size(int min, int max) {
        if (random.nextInt(SIZE_EDGE_ONE_IN) == 0) {
            return random.nextBoolean() ? min : max;
        }
        return random.nextInt(min, max + 1);
    }
}
