package org.panfuse.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The ratio chart: well-formed SVG, one bar per ratio the table has, each where its figure says. */
class RatioChartTest {
    private static List<ResultsTable.Score> scores() {
        List<ResultsTable.Score> s = new ArrayList<>();
        for (String round : List.of("r1", "r2")) {
            double k = round.equals("r1") ? 1.0 : 1.2;
            for (String setting : List.of("default", "uncached")) {
                s.add(new ResultsTable.Score("read", setting, "bare", round, 1000));
                s.add(new ResultsTable.Score("read", setting, "passthrough_hp", round, 250));
                s.add(new ResultsTable.Score("read", setting, "passthrough_hp_318", round, 500));
                s.add(new ResultsTable.Score("read", setting, "panfuse", round, 500 * k));
                s.add(new ResultsTable.Score("read", setting, "panfuse_never", round, 100));
            }
            // A workload hp 3.18 did not run, and a name that needs escaping.
            s.add(new ResultsTable.Score("a<b>&\"c\"", "default", "bare", round, 10));
            s.add(new ResultsTable.Score("a<b>&\"c\"", "default", "passthrough_hp", round, 1));
            s.add(new ResultsTable.Score("a<b>&\"c\"", "default", "panfuse", round, 20));
        }
        return s;
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> byClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = d.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void oneBarPerRatioOfTheTableInWellFormedSvg() throws Exception {
        Document d = parse(RatioChart.svg(scores(), "20261125-175618"));
        assertEquals("svg", d.getDocumentElement().getTagName());
        List<Element> bars = byClass(d, "rect", "bar");
        // read: 2 settings x 3 references; the other workload: bare and hp 3.14 only.
        assertEquals(8, bars.size());
        assertEquals(8, RatioChart.bars(scores()).size());
        List<String> titles = bars.stream().map(b -> b.getElementsByTagName("title").item(0).getTextContent()).toList();
        assertTrue(titles.contains("read, default: panfuse / bare 0.55 (0.50–0.60)"), titles.toString());
        assertTrue(titles.contains("read, uncached: panfuse / hp 3.14 2.20 (2.00–2.40)"), titles.toString());
        assertTrue(titles.contains("read, uncached: panfuse / hp 3.18 1.10 (1.00–1.20)"), titles.toString());
        assertTrue(titles.contains("a<b>&\"c\", default: panfuse / hp 3.14 20.00"), titles.toString());
        // Every ratio of the table's panfuse columns is a bar.
        String table = ResultsTable.render(scores());
        for (String t : titles) {
            String figure = t.replaceFirst("^.*: panfuse / (bare|hp 3\\.14|hp 3\\.18) ", "");
            assertTrue(table.contains(figure), figure + " in\n" + table);
        }
        assertEquals(6, byClass(d, "path", "range").size(), "whiskers where the rounds differ");
    }

    @Test
    void barsGrowFromTheParityLineToTheirSide() throws Exception {
        Document d = parse(RatioChart.svg(scores(), "run"));
        Element parity = byClass(d, "line", "parity").get(0);
        double one = Double.parseDouble(parity.getAttribute("x1"));
        for (Element bar : byClass(d, "rect", "bar")) {
            String title = bar.getElementsByTagName("title").item(0).getTextContent();
            double mean = Double.parseDouble(title.replaceFirst(".* (\\d+\\.\\d+)( \\(.*\\))?$", "$1"));
            double x = Double.parseDouble(bar.getAttribute("x"));
            double w = Double.parseDouble(bar.getAttribute("width"));
            if (mean < 1) {
                assertEquals(one, x + w, 0.2, title);
            } else {
                assertEquals(one, x, 0.2, title);
            }
        }
        // On the log scale, 0.55 (bare) and 2.20 (hp 3.14) are about as far from 1 (1/0.55 = 1.82).
        double toBare = width(d, "read, default: panfuse / bare ");
        double toHp = width(d, "read, default: panfuse / hp 3.14 ");
        assertEquals(Math.log(2.2) / Math.log(1 / 0.55), toHp / toBare, 0.01);
    }

    private static double width(Document d, String titleStart) {
        return byClass(d, "rect", "bar").stream().filter(b -> b.getTextContent().startsWith(titleStart)).findFirst()
                .map(b -> Double.parseDouble(b.getAttribute("width"))).orElseThrow();
    }

    @Test
    void resultsTableWritesTheChartWhenAsked(@TempDir Path dir) throws Exception {
        String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
                + "\"Unit\",\"Param: setting\",\"Param: target\"\n";
        Path run = Files.createDirectory(dir.resolve("20261125-175618"));
        List<String> args = new ArrayList<>(List.of("--chart", dir.resolve("chart.svg").toString()));
        for (String[] t : new String[][] {{"bare", "100.0"}, {"passthrough_hp", "50.0"}, {"panfuse", "80.0"}}) {
            args.add(Files.writeString(run.resolve("r1-default-" + t[0] + ".csv"), header
                    + "\"org.panfuse.benchmarks.FsBenchmarks.statExisting\",\"thrpt\",1,3," + t[1]
                    + ",NaN,\"ops/s\",default," + t[0] + "\n").toString());
        }
        ResultsTable.main(args.toArray(String[]::new));
        Document d = parse(Files.readString(dir.resolve("chart.svg")));
        assertEquals(2, byClass(d, "rect", "bar").size());
        assertTrue(d.getDocumentElement().getTextContent().contains("run 20261125-175618"));
    }
}
