package io.reactivewatch.benchmarks.e2e;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** One PNG: lost changes (per R) and latency to the last trigger, per subject and burst workload. */
final class Chart {

    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd)};

    private Chart() {
    }

    static void write(Report report, Path png) throws IOException {
        List<Subjects.Spec> subjects = report.subjectsMeasured();
        List<Long> rs = report.reconcileTimes();
        if (subjects.isEmpty() || rs.isEmpty()) {
            return;
        }
        CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(new CategoryAxis("subject"));
        combined.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.createUpRotationLabelPositions(Math.PI / 8));
        combined.setGap(12);
        for (long r : rs) {
            DefaultCategoryDataset lost = new DefaultCategoryDataset();
            for (Subjects.Spec s : subjects) {
                for (Workload w : Workload.values()) {
                    Stats st = report.stats(s.id(), w.name(), r, "lost");
                    if (st != null) {
                        lost.addValue(st.median(), w.name(), s.id());
                    }
                }
            }
            NumberAxis axis = new NumberAxis("lost changes (median), R = " + r + " ms");
            combined.add(plot(lost, axis), 2);
        }
        long r0 = rs.get(0);
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (Subjects.Spec s : subjects) {
            for (Workload w : Workload.values()) {
                Stats st = report.stats(s.id(), w.name(), r0, "toLastTriggerMs");
                if (st != null) {
                    latency.addValue(Math.max(1, st.median()), w.name(), s.id());
                }
            }
        }
        LogAxis log = new LogAxis("last write → last trigger, ms (median, R = " + r0 + ", log)");
        log.setSmallestValue(1);
        log.setBase(10);
        log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        combined.add(plot(latency, log), 3);

        JFreeChart chart = new JFreeChart("reactive-watch vs peers: lost changes and latency (W1–W5)",
                new Font(Font.SANS_SERIF, Font.BOLD, 16), combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 1100);
    }

    private static CategoryPlot plot(DefaultCategoryDataset data, ValueAxis axis) {
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < SERIES.length; i++) {
            renderer.setSeriesPaint(i, SERIES[i]);
        }
        CategoryPlot plot = new CategoryPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(new Color(0xf7f7f7));
        plot.setRangeGridlinePaint(Color.GRAY);
        return plot;
    }
}
