// Turns bench/run's results.tsv (one row per run: daemon, scenario, status, convergence s, CPU s,
// peak RSS MB, note, sessions-up s) into the Markdown table rows of the report: medians over repeated runs, and
// ratios to Ixora's figures for the same scenario. JDK only, like LoadGen.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

public final class Report {

    record Run(String status, Double conv, Double cpu, Double rss, String note, Double up) { }

    record Row(String status, Double conv, Double cpu, Double rss, String note, Double up) {
        static Row of(List<Run> runs) {
            Run bad = runs.stream().filter(r -> !r.status().equals("ok")).findFirst().orElse(null);
            return new Row(bad == null ? "ok" : bad.status(),
                    bad == null ? median(runs.stream().map(Run::conv).toList()) : null,
                    median(runs.stream().map(Run::cpu).toList()),
                    median(runs.stream().map(Run::rss).toList()),
                    bad == null ? "" : bad.note(),
                    median(runs.stream().map(Run::up).toList()));
        }
    }

    public static void main(String[] args) throws IOException {
        Map<List<String>, List<Run>> runs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) continue;
            String[] f = (line + "\t\t\t\t\t\t\t").split("\t", -1);
            runs.computeIfAbsent(List.of(f[0], f[1]), k -> new ArrayList<>())
                    .add(new Run(f[2], num(f[3]), num(f[4]), num(f[5]), f[6], num(f[7])));
        }
        Map<List<String>, Row> rows = new LinkedHashMap<>();
        runs.forEach((k, v) -> rows.put(k, Row.of(v)));
        StringBuilder out = new StringBuilder();
        rows.forEach((k, x) -> {
            Row ix = rows.get(List.of("ixora", k.get(1)));
            boolean base = ix != null && ix.status().equals("ok");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    k.get(0), k.get(1),
                    x.status().equals("ok") ? fmt(x.conv(), "%.3f") : x.status(),
                    fmt(x.cpu(), "%.2f"), fmt(x.rss(), "%.1f"),
                    ratio(x.conv(), base ? ix.conv() : null),
                    ratio(x.cpu(), base ? ix.cpu() : null),
                    ratio(x.rss(), base ? ix.rss() : null),
                    fmt(x.up(), "%.1f"),
                    x.note().replace('|', '/')));
        });
        System.out.print(out);
    }

    static Double num(String s) {
        try {
            return s.isEmpty() || s.equals("na") ? null : Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double median(List<Double> xs) {
        List<Double> v = xs.stream().filter(Objects::nonNull).sorted().toList();
        if (v.isEmpty()) return null;
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static String fmt(Double v, String f) {
        return v == null ? "" : String.format(Locale.ROOT, f, v);
    }

    static String ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
