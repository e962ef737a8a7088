package io.reactivewatch.watch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The persisted form of the tracked snapshots, the file source's opaque section of the daemon's state: compact
 * JSON text with one object per directory holding parallel arrays (names, a type string with one letter per
 * entry, sizes, mtimes in nanoseconds, key digests, and content hashes when any is known). Directory paths
 * are relative to their tree's top; a tree whose top is a file (a file root) has no directories, and its top
 * carries its size and content hash as well. {@code format} versions the layout; {@link #decode} refuses any other.
 * A state file of schema 1 kept the same object as a JSON tree, which the core hands over as its text, so
 * those files load too.
 *
 * <pre>
 * {"format":1,"trees":[{"top":"/abs/root","key":123,"dirs":[
 *   {"dir":"","names":["a.txt","src"],"types":"fd","sizes":[3,4096],"mtimes":[..],"keys":[..]}, ...]}]}
 * </pre>
 *
 * <p>Between two full sections the daemon's journal holds incremental ones ({@link #encodeChanges}): per
 * tree, the entries that changed since the previous section, each as it is now or as gone, parents before
 * children. {@link #decode(String, List)} replays them over the full section in order.
 *
 * <pre>
 * {"format":1,"changes":[{"top":"/abs/root","entries":[["src/new.txt","f",3,1700000000000000000,77,0],
 *   ["old.txt"], ["", "d",0,1700000000000000000,12,0]]}]}
 * </pre>
 * An entry is its path relative to the top ({@code ""} for the top itself) alone when gone, or followed by its
 * type letter, size, mtime, key digest, content hash and, for a directory that could not be listed, a 1.
 */
final class SnapshotCodec {

    static final int FORMAT = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String TYPE_LETTERS = "fdlo"; // indexed by Stat.FILE, DIR, LINK, OTHER

    private SnapshotCodec() {
    }

    /** Writes the trees as one JSON document. */
    static String encode(List<? extends TreeView> trees) {
        return write(encodeTree(trees));
    }

    /** The document as a tree: what a caller builds under its lock, then {@link #write}s outside it. */
    static JsonNode encodeTree(List<? extends TreeView> trees) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        ArrayNode out = root.putArray("trees");
        for (TreeView tree : trees) {
            ObjectNode t = out.addObject();
            t.put("top", tree.top().toString());
            Stat top = tree.topStat();
            if (top == null) {
                t.put("present", false);
                continue;
            }
            t.put("type", String.valueOf(TYPE_LETTERS.charAt(top.type())));
            if (!top.isDir()) {
                // A file root's stat is all there is of its tree: a restart compares all of it.
                t.put("size", top.size());
                if (top.hash() != 0) {
                    t.put("hash", top.hash());
                }
            }
            t.put("mtime", top.mtime());
            t.put("key", top.key());
            ArrayNode dirs = t.putArray("dirs");
            for (Path dir : tree.dirsUnder(tree.top())) {
                encodeDir(dirs.addObject(), tree.top().relativize(dir).toString(), tree.node(dir));
            }
        }
        return root;
    }

    static String write(JsonNode document) {
        return MAPPER.writeValueAsString(document);
    }

    private static void encodeDir(ObjectNode d, String rel, DirEntries node) {
        d.put("dir", rel);
        if (node.isUnreadable()) {
            d.put("unreadable", true);
        }
        ArrayNode names = d.putArray("names");
        StringBuilder types = new StringBuilder(node.size());
        ArrayNode sizes = d.putArray("sizes");
        ArrayNode mtimes = d.putArray("mtimes");
        ArrayNode keys = d.putArray("keys");
        ArrayNode hashes = null;
        for (int i = 0; i < node.size(); i++) {
            Stat s = node.stat(i);
            names.add(node.name(i));
            types.append(TYPE_LETTERS.charAt(s.type()));
            sizes.add(s.size());
            mtimes.add(s.mtime());
            keys.add(s.key());
            if (s.hash() != 0 && hashes == null) {
                hashes = NODES.arrayNode(node.size());
                for (int j = 0; j < i; j++) {
                    hashes.add(0L);
                }
            }
            if (hashes != null) {
                hashes.add(s.hash());
            }
        }
        d.put("types", types.toString());
        if (hashes != null) {
            d.set("hashes", hashes);
        }
    }

    /**
     * The entries at {@code paths} as they are in each tree now, as one incremental section.
     *
     * @param changed per tree, the paths whose entries changed (the top included when its own stat did)
     * @return the section, or {@code ""} when nothing changed
     */
    static String encodeChanges(Map<? extends TreeView, ? extends Set<Path>> changed) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        ArrayNode out = root.putArray("changes");
        for (Map.Entry<? extends TreeView, ? extends Set<Path>> e : changed.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            TreeView tree = e.getKey();
            ObjectNode t = out.addObject();
            t.put("top", tree.top().toString());
            ArrayNode entries = t.putArray("entries");
            List<Path> paths = new ArrayList<>(e.getValue());
            paths.sort(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString));
            for (Path p : paths) {
                ArrayNode entry = entries.addArray();
                entry.add(tree.top().relativize(p).toString());
                Stat s = tree.get(p);
                if (s == null) {
                    continue;
                }
                entry.add(String.valueOf(TYPE_LETTERS.charAt(s.type())));
                entry.add(s.size());
                entry.add(s.mtime());
                entry.add(s.key());
                entry.add(s.hash());
                DirEntries node = s.isDir() ? tree.node(p) : null;
                if (node != null && node.isUnreadable()) {
                    entry.add(1);
                }
            }
        }
        return out.isEmpty() ? "" : write(root);
    }

    /**
     * A full section with the incremental ones written after it replayed over it, in order.
     *
     * @return the snapshots by top path
     * @throws IllegalArgumentException if a section is not JSON, not in this format, or does not fit the trees
     *                                  it is replayed over
     */
    static Map<Path, Snapshot> decode(String full, List<String> changes) {
        Map<Path, Snapshot> trees = decode(full);
        for (String text : changes) {
            JsonNode section;
            try {
                section = MAPPER.readTree(text);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("snapshot changes are not JSON: " + e.getOriginalMessage(), e);
            }
            if (section == null || !section.isObject() || section.path("format").asInt(-1) != FORMAT
                    || !section.path("changes").isArray()) {
                throw new IllegalArgumentException("unknown snapshot changes format");
            }
            for (JsonNode t : section.get("changes")) {
                String topText = t.path("top").asString(null);
                if (topText == null) {
                    throw new IllegalArgumentException("snapshot changes without top");
                }
                Path top = Path.of(topText);
                Snapshot tree = trees.computeIfAbsent(top, Snapshot::absent);
                for (JsonNode entry : t.path("entries")) {
                    tree = replay(trees, tree, entry);
                }
            }
        }
        return trees;
    }

    /** Applies one entry; returns the tree, which is a new one when its top went away. */
    private static Snapshot replay(Map<Path, Snapshot> trees, Snapshot tree, JsonNode entry) {
        if (!entry.isArray() || entry.isEmpty()) {
            throw new IllegalArgumentException("snapshot change that is not an entry");
        }
        Path top = tree.top();
        String rel = entry.get(0).asString("");
        Path path = rel.isEmpty() ? top : top.resolve(rel);
        if (entry.size() == 1) {
            if (path.equals(top)) {
                Snapshot gone = Snapshot.absent(top);
                trees.put(top, gone);
                return gone;
            }
            tree.remove(path);
            return tree;
        }
        if (entry.size() < 6) {
            throw new IllegalArgumentException("snapshot change with missing fields: " + rel);
        }
        Stat stat = new Stat(type(entry.get(1).asString("?"), 0), entry.get(2).asLong(), entry.get(3).asLong(),
                entry.get(4).asLong(), entry.get(5).asLong());
        if (!tree.put(path, stat)) {
            throw new IllegalArgumentException("snapshot change under an untracked directory: " + rel);
        }
        boolean unreadable = entry.size() > 6 && entry.get(6).asInt(0) == 1;
        DirEntries node = stat.isDir() ? tree.node(path) : null;
        if (node != null && unreadable != node.isUnreadable() && node.size() == 0) {
            tree.putNode(path, unreadable ? DirNode.unreadable() : new DirNode());
        }
        return tree;
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @return the snapshots by top path
     * @throws IllegalArgumentException if the section is not JSON, or not in this format
     */
    static Map<Path, Snapshot> decode(String text) {
        JsonNode section;
        try {
            section = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("snapshot section is not JSON: " + e.getOriginalMessage(), e);
        }
        if (section == null) {
            throw new IllegalArgumentException("empty snapshot section");
        }
        return decodeTree(section);
    }

    private static Map<Path, Snapshot> decodeTree(JsonNode section) {
        if (!section.isObject() || section.path("format").asInt(-1) != FORMAT || !section.path("trees").isArray()) {
            throw new IllegalArgumentException("unknown snapshot format");
        }
        Map<Path, Snapshot> out = new LinkedHashMap<>();
        for (JsonNode t : section.get("trees")) {
            String topText = t.path("top").asString(null);
            if (topText == null) {
                throw new IllegalArgumentException("snapshot tree without top");
            }
            Path top = Path.of(topText);
            if (!t.path("present").asBoolean(true)) {
                out.put(top, Snapshot.absent(top));
                continue;
            }
            Stat topStat = new Stat(type(t.path("type").asString("d"), 0), t.path("size").asLong(0),
                    t.path("mtime").asLong(0), t.path("key").asLong(0), t.path("hash").asLong(0));
            Snapshot tree = new Snapshot(top, topStat);
            for (JsonNode d : t.path("dirs")) {
                tree.putNode(top.resolve(d.path("dir").asString("")), decodeDir(d));
            }
            out.put(top, tree);
        }
        return out;
    }

    private static DirNode decodeDir(JsonNode d) {
        JsonNode names = d.path("names");
        String types = d.path("types").asString("");
        JsonNode sizes = d.path("sizes");
        JsonNode mtimes = d.path("mtimes");
        JsonNode keys = d.path("keys");
        JsonNode hashes = d.path("hashes");
        int n = names.size();
        if (types.length() != n || sizes.size() != n || mtimes.size() != n || keys.size() != n
                || (hashes.isArray() && hashes.size() != n)) {
            throw new IllegalArgumentException("snapshot directory with arrays of different lengths");
        }
        DirNode node = d.path("unreadable").asBoolean(false) ? DirNode.unreadable() : new DirNode();
        for (int i = 0; i < n; i++) {
            node.put(names.get(i).asString(), new Stat(type(types, i), sizes.get(i).asLong(),
                    mtimes.get(i).asLong(), keys.get(i).asLong(), hashes.isArray() ? hashes.get(i).asLong() : 0));
        }
        node.trim();
        return node;
    }

    private static byte type(String letters, int i) {
        int t = TYPE_LETTERS.indexOf(letters.charAt(i));
        if (t < 0) {
            throw new IllegalArgumentException("unknown entry type letter: " + letters.charAt(i));
        }
        return (byte) t;
    }
}
