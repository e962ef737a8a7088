package io.reactivewatch.benchmarks.e2e;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.text.DecimalFormat;
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
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
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
        CategoryPlot first = null;
        for (long r : rs) {
            DefaultCategoryDataset lost = new DefaultCategoryDataset();
            for (Subjects.Spec s : subjects) {
                for (Workload w : Workload.values()) {
                    Stats st = report.stats(s.id(), w.name(), r, "lost");
                    Stats truth = report.stats(s.id(), w.name(), r, "truth");
                    if (st != null && truth != null && truth.max() > 0) {
                        lost.addValue(100.0 * st.median() / truth.max(), w.name(), s.id());
                    }
                }
            }
            NumberAxis axis = new NumberAxis("lost %, R = " + r + " ms");
            axis.setRange(0, 110);
            CategoryPlot plot = plot(lost, axis);
            BarRenderer renderer = (BarRenderer) plot.getRenderer();
            renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                    new DecimalFormat("0.#")));
            renderer.setDefaultItemLabelsVisible(true);
            renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
            combined.add(plot, 2);
            if (first == null) {
                first = plot;
            }
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
        LogAxis log = new LogAxis("ms to last trigger, R = " + r0);
        log.setSmallestValue(1);
        log.setBase(10);
        log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        combined.add(plot(latency, log), 3);

        // Every subplot has the same series; list them once.
        combined.setFixedLegendItems(first.getLegendItems());
        JFreeChart chart = new JFreeChart("reactive-watch vs peers: lost changes and latency, W1–W5",
                new Font(Font.SANS_SERIF, Font.BOLD, 16), combined, true);
        chart.addSubtitle(new TextTitle("Medians over the repeats. Lost % = files written that no trigger reported "
                + "(with a slow reconcile this includes files still unreported at the deadline). "
                + "Bottom: last write → start of the last trigger, log scale, values below 1 ms drawn as 1 ms.",
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
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
