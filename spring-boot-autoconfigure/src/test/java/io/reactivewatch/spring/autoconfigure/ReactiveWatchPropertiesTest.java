package io.reactivewatch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.reactivewatch.spring.autoconfigure.ReactiveWatchProperties.Watcher;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata IDEs read. Spring Boot's format has no entries for the keys inside a map's values
 * ({@code reactive-watch.watchers.<name>.roots}): IDEs complete them by walking the map's value type, and the
 * description of {@code reactive-watch.watchers} lists them with type and default. The keys here are found by
 * introspecting {@link Watcher}, so a property added without its line in the description fails this test.
 * The description lives in {@code META-INF/additional-spring-configuration-metadata.json}, merged by the
 * configuration processor when the properties class compiles: after editing only that file, an incremental
 * build keeps the old metadata until {@code ReactiveWatchProperties} is compiled again.
 */
class ReactiveWatchPropertiesTest {

    /** One line of the per-watcher list: {@code key (type[, default value]): what it does.} */
    private static final Pattern KEY_LINE = Pattern.compile(
            "([a-z][a-z0-9.-]*) \\(([^,()]+)(?:, default ([^()]+))?\\): \\S.*\\.");

    private record Described(String type, @Nullable String defaultValue) {
    }

    private static JsonNode ownMetadata() throws IOException {
        for (URL url : Collections.list(ReactiveWatchProperties.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode metadata = JsonMapper.builder().build().readTree(in);
                for (JsonNode group : metadata.path("groups")) {
                    if ("reactive-watch".equals(group.path("name").asString(null))) {
                        return metadata;
                    }
                }
            }
        }
        return fail("no META-INF/spring-configuration-metadata.json on the class path declares the group reactive-watch");
    }

    private static JsonNode property(JsonNode metadata, String name) {
        for (JsonNode p : metadata.path("properties")) {
            if (name.equals(p.path("name").asString(null))) {
                return p;
            }
        }
        return fail("the metadata has no property " + name);
    }

    @Test
    void theWatchersMapNamesItsValueTypeSoIdesCanCompleteTheKeysOfEachWatcher() throws IOException {
        assertThat(property(ownMetadata(), "reactive-watch.watchers").path("type").asString(null))
                .isEqualTo("java.util.Map<java.lang.String," + Watcher.class.getName() + ">");
    }

    @Test
    void theWatchersDescriptionListsEveryKeyOfAWatcherWithItsTypeAndDefault() throws Exception {
        String description = property(ownMetadata(), "reactive-watch.watchers").path("description").asString(null);
        assertThat(description).as("description of reactive-watch.watchers").isNotBlank();
        List<String> lines = description.lines().skip(1).toList();
        Map<String, Described> described = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = KEY_LINE.matcher(line);
            assertThat(m.matches()).as("'%s' reads 'key (type[, default value]): what it does.'", line).isTrue();
            described.put(m.group(1), new Described(m.group(2), m.group(3)));
        }
        Map<String, Described> actual = new LinkedHashMap<>();
        introspect("", Watcher.class, new Watcher(), actual);

        assertThat(described).as("keys described vs keys of a watcher").containsOnlyKeys(actual.keySet());
        actual.forEach((key, expected) -> assertThat(described.get(key)).as(key).isEqualTo(expected));
    }

    @Test
    void noDescriptionShowsJavadocMarkupThatIdesWouldPrintAsIs() throws IOException {
        for (JsonNode p : ownMetadata().path("properties")) {
            if (p.path("name").asString("").startsWith("reactive-watch.")) {
                assertThat(p.path("description").asString(null)).as(p.path("name").asString(null))
                        .isNotBlank().doesNotContain("{@");
            }
        }
    }

    /** The keys as the binder sees them: the JavaBean properties, dashed, nested classes of the settings walked. */
    private static void introspect(String prefix, Class<?> type, Object defaults, Map<String, Described> into)
            throws Exception {
        for (PropertyDescriptor d : BeanUtils.getPropertyDescriptors(type)) {
            Method getter = d.getReadMethod();
            if (getter == null || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            assertThat(d.getWriteMethod()).as("%s%s has a setter", prefix, d.getName()).isNotNull();
            String key = prefix + DataObjectPropertyName.toDashedForm(d.getName());
            Object value = getter.invoke(defaults);
            Class<?> valueType = d.getPropertyType();
            if (valueType.getDeclaringClass() == ReactiveWatchProperties.class && !valueType.isEnum()) {
                introspect(key + ".", valueType, value, into);
            } else {
                into.put(key, new Described(label(ResolvableType.forMethodReturnType(getter)), shown(value)));
            }
        }
    }

    private static String label(ResolvableType type) {
        Class<?> c = type.toClass();
        if (c.isEnum()) {
            return Arrays.stream(c.getEnumConstants()).map(e -> shown(e)).collect(Collectors.joining("|"));
        }
        if (List.class.isAssignableFrom(c)) {
            return "list of " + label(type.getGeneric(0)) + "s";
        }
        if (c == Duration.class) {
            return "duration";
        }
        if (c == Path.class) {
            return "path";
        }
        if (c == String.class) {
            return "string";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c == int.class || c == Integer.class) {
            return "integer";
        }
        return fail("no label for " + type + "; teach this test how the description names it");
    }

    /** A default as a user writes it in application.properties, or null when there is none. */
    private static @Nullable String shown(@Nullable Object value) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty()) {
            return null;
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Duration d) {
            for (var unit : List.of(Map.entry(Duration.ofDays(1), "d"), Map.entry(Duration.ofHours(1), "h"),
                    Map.entry(Duration.ofMinutes(1), "m"), Map.entry(Duration.ofSeconds(1), "s"))) {
                if (!d.isZero() && d.toNanos() % unit.getKey().toNanos() == 0) {
                    return d.dividedBy(unit.getKey()) + unit.getValue();
                }
            }
            return d.toMillis() + "ms";
        }
        if (value instanceof Boolean || value instanceof Integer) {
            return value.toString();
        }
        return fail("no way to show the default " + value + "; teach this test how the description writes it");
    }
}
