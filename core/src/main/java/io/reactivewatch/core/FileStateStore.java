package io.reactivewatch.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The standard {@link StateStore}: a JSON snapshot replaced atomically, followed by an append-only journal
 * of CRC-32C-checksummed lines, so that a tick's write is one short record instead of the whole tracked tree.
 *
 * <pre>
 * NAME          {"format":"reactive-watch-state","schemaVersion":3,...,"source":"...","journal":G}
 * NAME.journal  CRC {"format":"reactive-watch-journal","journal":G}
 *               CRC {"savedAt":...,"tickCount":7,"pendingChanges":[],"delivering":[...],"sourceChanges":"..."}
 *               ...
 * </pre>
 *
 * Each {@link #save} writes a snapshot with a new random generation G, then a fresh journal holding only
 * its header (both through a temporary file, forced, renamed, directory forced); a crash between the two
 * leaves an old journal whose generation no longer matches, which load ignores. Each {@link #append} writes
 * one line at the journal's known end and forces it before returning.
 */
final class FileStateStore implements StateStore {

    private static final System.Logger LOG = System.getLogger(FileStateStore.class.getName());

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule("reactive-watch-paths")
                    .addSerializer(Path.class, new PathSerializer())
                    .addDeserializer(Path.class, new PathDeserializer()))
            .build();

    /** The journal's format marker, in its header line. */
    static final String JOURNAL_FORMAT = "reactive-watch-journal";

    /** The journal may grow to the snapshot's size (at least this much) before the store asks to compact. */
    static final long MIN_COMPACT_BYTES = 256 * 1024;

    private static final Pattern MARKER = Pattern.compile("\"format\"\\s*:\\s*\"" + DaemonState.FORMAT + "\"");

    private final Path file;
    private final Path journal;
    /** The file under the real path of its deepest existing ancestor, as a watcher of real paths sees it. */
    private final Path realFile;
    private final String name;

    /** Guarded by this: the generation of the journal this store appends to; 0 until a save (or after a failure). */
    private long generation;
    /** Guarded by this: the journal's length in bytes, where the next record goes. */
    private long journalSize;
    private long headerSize;
    private long snapshotSize;

    FileStateStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.realFile = realParent(this.file);
        this.name = this.file.getFileName().toString();
        this.journal = this.file.resolveSibling(name + ".journal");
    }

    /**
     * The file under the real path of its deepest existing ancestor, so it matches the real paths of watched
     * files even when its directory does not exist yet and is reached through a symbolic link.
     */
    private static Path realParent(Path abs) {
        Path existing = abs.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }

    /** The journal file that follows the snapshot. */
    Path journalFile() {
        return journal;
    }

    @Override
    public Loaded load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Loaded.none();
        } catch (IOException e) {
            // Unreadable (permissions, a directory in its place): whose it is cannot be told; leave it alone.
            return Loaded.refused("state file " + file + " cannot be read (" + describe(e) + ")");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Loaded.none(); // never ours (writes are atomic), and nothing in it to lose
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            tree = null;
        }
        if (!isOurs(text, tree)) {
            return Loaded.refused("state file " + file + " is not a reactive-watch state file; refusing to use or "
                    + "move it (choose another path, or delete it)");
        }
        DaemonState state;
        try {
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalArgumentException("truncated or not JSON");
            }
            int version = object.path("schemaVersion").asInt(DaemonState.SCHEMA_VERSION);
            if (version > DaemonState.SCHEMA_VERSION) {
                throw new IllegalArgumentException("written by a newer version (schema " + version + ")");
            }
            if (object.get("source") != null && object.get("source").isContainer()) {
                // Schema 1 kept the source section as a JSON tree; it is opaque text since schema 2.
                object.put("source", object.get("source").toString());
            }
            state = MAPPER.treeToValue(object, DaemonState.class);
            if (state == null) {
                throw new IllegalArgumentException("empty document");
            }
            if (!object.has("journal")) {
                return Loaded.of(state); // schema 2 and before: no journal
            }
            long gen = object.path("journal").asLong(0);
            Journal read = readJournal(gen);
            if (read.refusal != null) {
                return Loaded.refused(read.refusal);
            }
            return Loaded.of(read.applyTo(state), read.sourceChanges);
        } catch (JacksonException | IllegalArgumentException e) {
            return setAside(firstLine(e.getMessage()));
        }
    }

    /** Moves the snapshot and its journal out of the way, so the daemon starts over with a rescan. */
    private Loaded setAside(String why) {
        String stamp = ".corrupt-" + System.currentTimeMillis();
        Path aside = file.resolveSibling(name + stamp);
        String where;
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            where = "moved to " + aside;
            if (Files.exists(journal)) {
                Files.move(journal, journal.resolveSibling(journal.getFileName() + stamp),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException moveFailure) {
            where = "could not be moved aside (" + describe(moveFailure) + ")";
        }
        String warning = "state file " + file + " is unusable (" + why + "); " + where + "; starting with a full rescan";
        LOG.log(Level.WARNING, warning);
        return Loaded.setAside(warning);
    }

    /**
     * Reads the journal of generation {@code gen}. A missing journal or one of another generation holds
     * nothing for this snapshot (a crash came between the snapshot's rename and the journal's). A torn last
     * line is dropped; a bad line with anything after it is corruption.
     *
     * @throws IllegalArgumentException if the journal is corrupt
     */
    private Journal readJournal(long gen) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(journal);
        } catch (NoSuchFileException e) {
            return Journal.EMPTY;
        } catch (IOException e) {
            return Journal.refused("state journal " + journal + " cannot be read (" + describe(e) + ")");
        }
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        boolean tornTail = from < bytes.length; // a last line without its newline: the write did not finish
        if (lines.isEmpty()) {
            return Journal.EMPTY; // at most a torn header: the journal was never complete, so nothing was appended
        }
        JsonNode header = verified(lines.get(0));
        if (header == null || !JOURNAL_FORMAT.equals(header.path("format").asString(null))) {
            return Journal.refused("state journal " + journal + " is not a reactive-watch journal; refusing to use "
                    + "or move it (choose another state path, or delete it)");
        }
        if (header.path("journal").asLong(-1) != gen) {
            return Journal.EMPTY; // left from before the latest snapshot, which already holds its records
        }
        Journal out = new Journal();
        for (int i = 1; i < lines.size(); i++) {
            JsonNode record = verified(lines.get(i));
            if (record == null) {
                if (i == lines.size() - 1 && !tornTail) {
                    break; // the last line, damaged in the write that a crash interrupted
                }
                throw new IllegalArgumentException("journal record " + i + " is corrupt");
            }
            JournalRecord r = MAPPER.treeToValue(record, JournalRecord.class);
            out.last = r;
            if (r.sourceChanges() != null && !r.sourceChanges().isEmpty()) {
                out.sourceChanges.add(r.sourceChanges());
            }
        }
        return out;
    }

    /** The JSON of a journal line whose checksum matches, or {@code null}. */
    private static JsonNode verified(String line) {
        if (line.length() < 10 || line.charAt(8) != ' ') {
            return null;
        }
        String body = line.substring(9);
        long expected;
        try {
            expected = Long.parseLong(line.substring(0, 8), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        if (crc(body) != expected) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node instanceof ObjectNode ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static long crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** One journal line: checksum, a space, the JSON, a newline. */
    private static byte[] line(String json) {
        return String.format("%08x %s%n", crc(json), json).replace(System.lineSeparator(), "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a file is one of ours: it carries the format marker near its start (so even a truncated one is
     * recognised), or it is a schema-1 state, written before the marker existed.
     */
    private static boolean isOurs(String text, JsonNode tree) {
        String head = text.length() > 512 ? text.substring(0, 512) : text;
        if (MARKER.matcher(head).find()) {
            return true;
        }
        return tree instanceof ObjectNode o && o.path("schemaVersion").asInt(-1) == 1 && o.path("pendingChanges").isArray();
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public synchronized void save(DaemonState state) throws IOException {
        long gen = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        byte[] bytes;
        byte[] header;
        try {
            ObjectNode tree = MAPPER.valueToTree(state);
            tree.put("journal", gen);
            bytes = MAPPER.writeValueAsBytes(tree);
            ObjectNode h = MAPPER.createObjectNode();
            h.put("format", JOURNAL_FORMAT);
            h.put("journal", gen);
            header = line(COMPACT.writeValueAsString(h));
        } catch (JacksonException e) {
            throw new IOException("could not serialize daemon state: " + e.getMessage(), e);
        }
        generation = 0; // until both files are in place, nothing may be appended
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            writeAtomically(dir, file, bytes);
            writeAtomically(dir, journal, header);
        } catch (IOException e) {
            throw new StateWriteException(file, e);
        }
        generation = gen;
        journalSize = header.length;
        headerSize = header.length;
        snapshotSize = bytes.length;
    }

    @Override
    public boolean appends() {
        return true;
    }

    @Override
    public synchronized boolean append(DaemonState state, String sourceChanges) throws IOException {
        if (generation == 0) {
            throw new IOException("no snapshot to append to (the last save failed, or none was made)");
        }
        byte[] record;
        try {
            record = line(COMPACT.writeValueAsString(new JournalRecord(state.savedAt(), state.tickCount(),
                    state.lastTickAt(), state.pendingChanges(), state.pendingRescan(), state.delivering(),
                    sourceChanges == null ? "" : sourceChanges)));
        } catch (JacksonException e) {
            throw new IOException("could not serialize daemon state: " + e.getMessage(), e);
        }
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(record);
            long at = journalSize;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.force(false);
        } catch (IOException e) {
            // Part of the record may be on disk: no later record may follow it. The daemon saves in full next,
            // which starts a new journal; a crash before that finds this record torn, and drops it.
            generation = 0;
            throw new StateWriteException(file, e);
        }
        journalSize += record.length;
        return journalSize - headerSize > Math.max(MIN_COMPACT_BYTES, snapshotSize);
    }

    /** Temporary file in the same directory, forced, renamed over the target, directory forced. */
    private void writeAtomically(Path dir, Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes the rename itself durable: without it a crash can bring the old file back. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open a directory (Windows); the rename is still atomic there.
        }
    }

    @Override
    public boolean owns(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path parent = p.getParent();
        if (parent == null || !(parent.equals(file.getParent()) || parent.equals(realFile.getParent()))) {
            return false;
        }
        String n = p.getFileName().toString();
        String journalName = name + ".journal";
        return n.equals(name) || n.equals(journalName)
                || (n.startsWith("." + name + ".") && n.endsWith(".tmp"))
                || n.startsWith(name + ".corrupt-") || n.startsWith(journalName + ".corrupt-");
    }

    @Override
    public String toString() {
        return "state file " + file; // as log lines name it: "state is persisted again to state file /..."
    }

    private static final tools.jackson.databind.ObjectWriter COMPACT =
            MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    /** One journal line's content: the daemon's fields that change per write, and the source's changes. */
    record JournalRecord(Instant savedAt, long tickCount, Instant lastTickAt, List<Change> pendingChanges,
            boolean pendingRescan, List<Change> delivering, String sourceChanges) {
    }

    /** What a journal adds to its snapshot: the last record's fields and every record's source changes. */
    private static final class Journal {
        static final Journal EMPTY = new Journal();

        JournalRecord last;
        final List<String> sourceChanges = new ArrayList<>();
        String refusal;

        static Journal refused(String why) {
            Journal j = new Journal();
            j.refusal = why;
            return j;
        }

        DaemonState applyTo(DaemonState base) {
            if (last == null) {
                return base;
            }
            return new DaemonState(base.format(), base.schemaVersion(), last.savedAt(), last.tickCount(),
                    last.lastTickAt(), last.pendingChanges(), last.pendingRescan(), last.delivering(), base.source(),
                    base.settings());
        }
    }

    /**
     * The first line of an exception's message that says something, for a warning that must be one line
     * (Jackson's messages go on with the location on later lines).
     */
    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("unreadable");
    }

    private static final class PathSerializer extends StdSerializer<Path> {
        PathSerializer() {
            super(Path.class);
        }

        @Override
        public void serialize(Path value, JsonGenerator gen, SerializationContext provider) {
            gen.writeString(value.toString());
        }
    }

    private static final class PathDeserializer extends StdDeserializer<Path> {
        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctxt) {
            String text = p.getValueAsString();
            if (text == null) {
                return (Path) ctxt.handleUnexpectedToken(Path.class, p);
            }
            return Path.of(text);
        }
    }
}
