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

/** JSON state file with atomic replace and tolerant load. */
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

    private static final Pattern MARKER = Pattern.compile("\"format\"\\s*:\\s*\"" + DaemonState.FORMAT + "\"");

    private final Path file;
    /** The file under the real path of its deepest existing ancestor, as a watcher of real paths sees it. */
    private final Path realFile;
    private final String name;

    FileStateStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.realFile = realParent(this.file);
        this.name = this.file.getFileName().toString();
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
            DaemonState state = MAPPER.treeToValue(object, DaemonState.class);
            if (state == null) {
                throw new IllegalArgumentException("empty document");
            }
            return Loaded.of(state);
        } catch (JacksonException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(name + ".corrupt-" + System.currentTimeMillis());
            String where;
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                where = "moved to " + aside;
            } catch (IOException moveFailure) {
                where = "could not be moved aside (" + describe(moveFailure) + ")";
            }
            String warning = "state file " + file + " is unusable (" + firstLine(e.getMessage()) + "); " + where
                    + "; starting with a full rescan";
            LOG.log(Level.WARNING, warning);
            return Loaded.setAside(warning);
        }
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
    public void save(DaemonState state) throws IOException {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(state);
        } catch (JacksonException e) {
            throw new IOException("could not serialize daemon state: " + e.getMessage(), e);
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
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
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
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
        return n.equals(name)
                || (n.startsWith("." + name + ".") && n.endsWith(".tmp"))
                || n.startsWith(name + ".corrupt-");
    }

    @Override
    public String toString() {
        return "StateStore[" + file + "]";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
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
