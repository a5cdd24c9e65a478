package dev.ixora.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads the HTTP API of a running daemon and prints tables. */
@Command(name = "show", description = "Show the peers or received routes of a running daemon (through its HTTP API).")
final class ShowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "peers|routes", description = "what to show: peers or routes")
    String what;

    @Option(names = "--peer", paramLabel = "NAME", description = "routes: only those received from this peer")
    String peer;

    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "${env:IXORA_API:-127.0.0.1:8080}",
            description = "the daemon's api.listen address (default: $IXORA_API or ${DEFAULT-VALUE})")
    String api;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!what.equals("peers") && !what.equals("routes")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "expected \"peers\" or \"routes\", got \"" + what + "\"");
        }
        String path = what.equals("peers") ? "/api/v1/peers"
                : "/api/v1/routes" + (peer == null ? "" : "?peer=" + URLEncoder.encode(peer, StandardCharsets.UTF_8));
        Map<?, ?> body;
        try {
            body = get(path);
        } catch (ApiException e) {
            err.println("ixora show: " + e.getMessage());
            return Ixora.EXIT_FAILURE;
        }
        if (what.equals("peers")) peers(out, (List<?>) body.get("peers"));
        else routes(out, (List<?>) body.get("routes"));
        return Ixora.EXIT_OK;
    }

    private static final class ApiException extends Exception {
        ApiException(String message) {
            super(message);
        }
    }

    private Map<?, ?> get(String path) throws ApiException {
        URI uri = URI.create("http://" + api + path);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException("cannot reach the API at " + api + " (" + e + "); is `ixora run` running with api.listen set?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
        Object parsed;
        try {
            parsed = Json.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new ApiException(uri + " answered " + response.statusCode() + " with something that is not JSON");
        }
        if (!(parsed instanceof Map<?, ?> map)) throw new ApiException(uri + ": unexpected answer");
        if (response.statusCode() != 200) {
            throw new ApiException(map.containsKey("error") ? String.valueOf(map.get("error"))
                    : uri + " answered " + response.statusCode());
        }
        return map;
    }

    private static void peers(PrintWriter out, List<?> peers) {
        Table t = new Table("NAME", "ADDRESS", "ASN", "STATE", "UPTIME", "IPV4", "IPV6", "DESCRIPTION");
        for (Object o : peers) {
            Map<?, ?> p = (Map<?, ?>) o;
            Map<?, ?> counts = (Map<?, ?>) p.get("prefixes_received");
            Object uptime = p.get("uptime_seconds");
            t.row(p.get("name"), p.get("address"), p.get("asn"), p.get("state"),
                    uptime == null ? "-" : duration(((Number) uptime).longValue()),
                    counts.get("ipv4-unicast"), counts.get("ipv6-unicast"), p.get("description"));
        }
        t.print(out);
    }

    private static void routes(PrintWriter out, List<?> routes) {
        Table t = new Table("PEER", "PREFIX", "PATH-ID", "NEXT-HOP", "AS-PATH", "ORIGIN", "MED", "LOCAL-PREF",
                "COMMUNITIES");
        for (Object o : routes) {
            Map<?, ?> r = (Map<?, ?>) o;
            String communities = String.join(" ", strings(r.get("communities")));
            List<String> large = strings(r.get("large_communities"));
            if (!large.isEmpty()) communities = (communities + " " + String.join(" ", large)).trim();
            String asPath = String.valueOf(r.get("as_path"));
            t.row(r.get("peer"), r.get("prefix"), r.get("path_id"), r.get("next_hop"),
                    asPath.isEmpty() ? "(empty)" : asPath, r.get("origin"), r.get("med"), r.get("local_pref"),
                    communities.isEmpty() ? "-" : communities);
        }
        t.print(out);
        out.println(routes.size() + (routes.size() == 1 ? " route" : " routes"));
    }

    private static List<String> strings(Object list) {
        return list == null ? List.of() : ((List<?>) list).stream().map(String::valueOf).collect(Collectors.toList());
    }

    /** "3d04h05m" for long uptimes, "04:05:06" under a day. */
    static String duration(long seconds) {
        long d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
        return d > 0 ? String.format("%dd%02dh%02dm", d, h, m) : String.format("%02d:%02d:%02d", h, m, s);
    }
}
