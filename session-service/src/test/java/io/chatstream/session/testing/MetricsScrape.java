package io.chatstream.session.testing;

import static io.restassured.RestAssured.given;

/**
 * One scrape of {@code /q/metrics}, in the Prometheus text format. The application is shared by
 * the test classes, so tests compare two scrapes rather than read absolute values.
 */
public record MetricsScrape(String text) {

    public static MetricsScrape now() {
        return new MetricsScrape(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The sample's value, {@code series} being its name and labels as printed; 0 when absent. */
    public double value(String series) {
        return text.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    public double increase(MetricsScrape before, String series) {
        return value(series) - before.value(series);
    }
}
