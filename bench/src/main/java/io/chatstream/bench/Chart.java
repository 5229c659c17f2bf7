package io.chatstream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The run's chart, drawn with java.awt (headless): per-token added latency and time to first
 * token (p50 solid, p99 dashed) of the paced scenarios, and tokens per second of the full-speed
 * ones, each against the number of concurrent streams, one colour per target. Log scales.
 */
final class Chart {

    private static final int W = 1500;
    private static final int H = 560;
    private static final Map<String, Color> COLOURS = Map.of(
            "direct", new Color(90, 90, 90), "gateway", new Color(0, 110, 200), "portkey", new Color(220, 90, 20));

    private Chart() {}

    static void write(List<Phase> phases, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        List<Phase> ok = phases.stream()
                .filter(p -> p.error == null && p.stats.tokens.get() > 0)
                .toList();
        Predicate<Phase> paced = p -> p.scenario.paced();
        panel(
                g,
                0,
                "Per-token added latency, 10 ms pace (ms)",
                ok,
                paced,
                p -> Report.ms(p.stats.tokenLatencyMicros, 50),
                p -> Report.ms(p.stats.tokenLatencyMicros, 99));
        panel(
                g,
                1,
                "Time to first token, 10 ms pace (ms)",
                ok,
                paced,
                p -> Report.ms(p.stats.firstTokenMicros, 50),
                p -> Report.ms(p.stats.firstTokenMicros, 99));
        panel(g, 2, "Tokens per second, full speed", ok, paced.negate(), Phase::tokensPerSecond, null);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(
            Graphics2D g,
            int index,
            String title,
            List<Phase> phases,
            Predicate<Phase> which,
            ToDoubleFunction<Phase> solid,
            ToDoubleFunction<Phase> dashed) {
        int x0 = index * (W / 3) + 70;
        int y0 = 50;
        int w = W / 3 - 100;
        int h = H - 150;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x0, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        Map<String, TreeMap<Integer, double[]>> series = new LinkedHashMap<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Phase p : phases) {
            if (!which.test(p)) {
                continue;
            }
            double a = solid.applyAsDouble(p);
            double b = dashed == null ? a : dashed.applyAsDouble(p);
            series.computeIfAbsent(p.target, k -> new TreeMap<>()).put(p.scenario.concurrency(), new double[] {a, b});
            for (double v : new double[] {a, b}) {
                if (v > 0 && !Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (series.isEmpty()) {
            g.drawString("no data", x0 + 20, y0 + 40);
            return;
        }
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        if (hi <= lo) {
            hi = lo * 10;
        }
        List<Integer> xs = new ArrayList<>(new java.util.TreeSet<>(
                series.values().stream().flatMap(m -> m.keySet().stream()).toList()));
        // Axes: x by the rank of C (1, 100, 1000 evenly), y log.
        g.setColor(Color.LIGHT_GRAY);
        for (double d = lo; d <= hi * 1.0001; d *= 10) {
            int y = yOf(d, lo, hi, y0, h);
            g.drawLine(x0, y, x0 + w, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(d), x0 - 60, y + 4);
            g.setColor(Color.LIGHT_GRAY);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, w, h);
        for (int i = 0; i < xs.size(); i++) {
            int x = xOf(i, xs.size(), x0, w);
            g.drawString("C=" + xs.get(i), x - 15, y0 + h + 18);
        }
        int legend = 0;
        Stroke plain = new BasicStroke(2.2f);
        Stroke dash = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {7, 5}, 0);
        for (Map.Entry<String, TreeMap<Integer, double[]>> e : series.entrySet()) {
            Color c = COLOURS.getOrDefault(e.getKey(), Color.MAGENTA);
            g.setColor(c);
            for (int k = 0; k < (dashed == null ? 1 : 2); k++) {
                g.setStroke(k == 0 ? plain : dash);
                int px = -1;
                int py = -1;
                for (Map.Entry<Integer, double[]> pt : e.getValue().entrySet()) {
                    double v = pt.getValue()[k];
                    if (!(v > 0)) {
                        continue;
                    }
                    int x = xOf(xs.indexOf(pt.getKey()), xs.size(), x0, w);
                    int y = yOf(v, lo, hi, y0, h);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
            }
            g.setStroke(plain);
            g.drawString(
                    e.getKey() + (dashed == null ? "" : "  (p50 solid, p99 dashed)"),
                    x0 + 8,
                    y0 + h + 36 + 16 * legend);
            legend++;
        }
        g.setStroke(new BasicStroke(1));
    }

    private static int xOf(int i, int n, int x0, int w) {
        return n == 1 ? x0 + w / 2 : x0 + 30 + i * (w - 60) / (n - 1);
    }

    private static int yOf(double v, double lo, double hi, int y0, int h) {
        double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return y0 + h - (int) Math.round(f * h);
    }

    private static String label(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
