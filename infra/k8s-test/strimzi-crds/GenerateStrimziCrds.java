import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.File;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the CustomResourceDefinitions of the Strimzi resources the pg2ddb chart renders
 * (KafkaConnect, KafkaConnector, KafkaTopic) from Strimzi's published API model classes, with
 * fabric8's CRD generator. fabric8 describes a polymorphic field (Jackson @JsonSubTypes, e.g.
 * KafkaConnect spec.build.output: docker | imagestream) by its base class only, so the subtypes'
 * properties are merged in afterwards from Jackson's own view of the classes, as Strimzi's CRDs
 * do. Run as a single-file program: java -cp 'lib/*' GenerateStrimziCrds.java OUTDIR
 */
public class GenerateStrimziCrds {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : ".");
        out.mkdirs();
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .customResourceClasses(KafkaConnect.class, KafkaConnector.class, KafkaTopic.class)
            .generate();
        for (Class<?> kind : List.of(KafkaConnect.class, KafkaConnector.class, KafkaTopic.class)) {
            String plural = kind.getSimpleName().toLowerCase() + "s";
            File file = new File(out, plural + ".kafka.strimzi.io-v1.yml");
            JsonNode crd = YAML.readTree(file);
            for (JsonNode version : crd.path("spec").path("versions")) {
                ObjectNode schema = (ObjectNode) version.path("schema").path("openAPIV3Schema");
                mergeSubtypes(JSON.constructType(kind), schema, new IdentityHashMap<>());
            }
            YAML.writeValue(file, crd);
        }
    }

    /** Walks a class and its schema together; at every @JsonSubTypes class adds the subtypes' properties. */
    private static void mergeSubtypes(JavaType type, ObjectNode schema, Map<ObjectNode, Boolean> seen) {
        if (schema == null || seen.put(schema, true) != null) return;
        if (type.isCollectionLikeType() || type.isArrayType()) {
            mergeSubtypes(type.getContentType(), child(schema, "items"), seen);
            return;
        }
        if (type.isMapLikeType() || !type.getRawClass().getName().startsWith("io.strimzi")) return;
        JsonSubTypes subtypes = type.getRawClass().getAnnotation(JsonSubTypes.class);
        if (subtypes != null) {
            for (JsonSubTypes.Type subtype : subtypes.value()) {
                for (BeanPropertyDefinition property : properties(JSON.constructType(subtype.value()))) {
                    ObjectNode props = schema.with("properties");
                    if (!props.has(property.getName())) props.set(property.getName(), scalarSchema(property.getPrimaryType()));
                }
            }
        }
        ObjectNode props = child(schema, "properties");
        if (props == null) return;
        for (BeanPropertyDefinition property : properties(type)) {
            mergeSubtypes(property.getPrimaryType(), child(props, property.getName()), seen);
        }
    }

    private static List<BeanPropertyDefinition> properties(JavaType type) {
        BeanDescription description = JSON.getSerializationConfig().introspect(type);
        return description.findProperties();
    }

    private static ObjectNode child(ObjectNode node, String name) {
        JsonNode child = node.get(name);
        return child instanceof ObjectNode ? (ObjectNode) child : null;
    }

    /** The schema of a subtype-only property: scalars and lists of scalars exactly, anything else free-form. */
    private static ObjectNode scalarSchema(JavaType type) {
        ObjectNode node = JSON.createObjectNode();
        Class<?> raw = type.getRawClass();
        if (type.isCollectionLikeType() || type.isArrayType()) {
            node.put("type", "array");
            node.set("items", scalarSchema(type.getContentType()));
        } else if (raw == String.class || raw.isEnum()) {
            node.put("type", "string");
        } else if (raw == boolean.class || raw == Boolean.class) {
            node.put("type", "boolean");
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            node.put("type", "integer");
        } else if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            node.put("type", "number");
        } else {
            node.put("type", "object");
            node.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return node;
    }
}
