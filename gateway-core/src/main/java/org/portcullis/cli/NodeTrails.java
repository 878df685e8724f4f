package org.portcullis.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The node a trail belongs to, for the commands that read several nodes' trails together (issue 18): the
 * {@code service.node.name} its lines carry ({@code audit.node_id}), else the active file's name. Only the trail's
 * first line is read; verification, not this, says whether the lines are genuine.
 */
final class NodeTrails {
    private static final Pattern NODE = Pattern.compile("\"service\\.node\\.name\":\"([A-Za-z0-9._-]{1,64})\"");

    private NodeTrails() {
    }

    static String nodeOf(List<Path> files, Path active) throws IOException {
        for (Path file : files) {
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                 BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String first = lines.readLine();
                if (first != null) {
                    Matcher node = NODE.matcher(first);
                    return node.find() ? node.group(1) : active.getFileName().toString();
                }
            }
        }
        return active.getFileName().toString();
    }
}
