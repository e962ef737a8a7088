package io.reactivewatch.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and range of a few repeats. */
record Stats(double median, double min, double max, int n) {

    static Stats of(List<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) {
            if (d != null && !d.isNaN()) {
                v.add(d);
            }
        }
        if (v.isEmpty()) {
            return null;
        }
        Collections.sort(v);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Stats(median, v.get(0), v.get(n - 1), n);
    }

    /** {@code median (min–max)}, or one number when all repeats agree. */
    String format(int decimals) {
        String m = number(median, decimals);
        String lo = number(min, decimals);
        String hi = number(max, decimals);
        if (lo.equals(hi)) {
            return m;
        }
        return m + " (" + lo + "–" + hi + ")";
    }

    static String format(Stats s, int decimals) {
        return s == null ? "–" : s.format(decimals);
    }

    static String number(double d, int decimals) {
        String s = String.format(Locale.ROOT, "%,." + decimals + "f", d);
        // -0.3 rounds to "-0", which reads like a sign error
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }
}
