package dev.roster.testing;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Seeded property checks for plain JUnit tests: each try draws its input from a {@link Gen} split off one generator
 * seeded once per check, so a seed replays every input in order. A failure names the seed, the try and the input;
 * {@code -Droster.test.seed=N} (on the Maven or run-tests command line) sets the seed to replay it.
 */
public final class Property {
    /** The system property that sets the seed; without it each run draws a new one. */
    public static final String SEED = "roster.test.seed";

    /** The check of one input; may throw anything, which fails the property. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    private Property() {
    }

    /** Runs the check on {@code tries} inputs drawn by {@code generate}; the first failure fails the property. */
    public static <T> void forAll(int tries, Function<Gen, T> generate, Check<T> check) {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 1; i <= tries; i++) {
            Gen gen = new Gen(random.split());
            T input = null;
            try {
                input = generate.apply(gen);
                check.accept(input);
            } catch (Throwable e) {
                throw new AssertionError("property failed on try " + i + " of " + tries + " with seed " + seed
                        + " (replay: -D" + SEED + "=" + seed + ")\ninput: " + show(input) + "\n" + e, e);
            }
        }
    }

    private static long seed() {
        String given = System.getProperty(SEED);
        if (given != null && !given.isBlank()) {
            return Long.parseLong(given.strip());
        }
        return ThreadLocalRandom.current().nextLong();
    }

    /** The input as text, arrays with their elements, long texts cut. */
    static String show(Object input) {
        String text = switch (input) {
            case null -> "null (failed while drawing it)";
            case byte[] bytes -> Arrays.toString(bytes);
            case Object[] array -> Arrays.deepToString(array);
            default -> String.valueOf(input);
        };
        return text.length() > 2000 ? text.substring(0, 2000) + "... (" + text.length() + " chars)" : text;
    }
}
