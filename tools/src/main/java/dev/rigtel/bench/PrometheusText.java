package dev.rigtel.bench;

/** Reads values out of the collector's {@code /metrics} (Prometheus text format 0.0.4). */
final class PrometheusText {

    private PrometheusText() {}

    /**
     * The sum of every sample of metric {@code name} whose label set contains each of {@code labels}
     * (written as they appear, e.g. {@code area="heap"}); NaN if there is none.
     */
    static double sum(String text, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int rest = name.length();
            if (rest < line.length() && line.charAt(rest) != '{' && line.charAt(rest) != ' ') {
                continue; // a longer metric name with this one as its prefix
            }
            String labelSet = "";
            int valueStart = rest;
            if (rest < line.length() && line.charAt(rest) == '{') {
                int close = line.indexOf('}', rest);
                labelSet = line.substring(rest + 1, close);
                valueStart = close + 1;
            }
            boolean matches = true;
            for (String label : labels) {
                if (!labelSet.contains(label)) {
                    matches = false;
                    break;
                }
            }
            if (!matches) {
                continue;
            }
            String[] parts = line.substring(valueStart).trim().split(" ");
            sum += Double.parseDouble(parts[0]);
            found = true;
        }
        return found ? sum : Double.NaN;
    }
}
