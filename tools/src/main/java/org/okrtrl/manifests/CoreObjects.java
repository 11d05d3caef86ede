package org.okrtrl.manifests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Core Kubernetes objects checked against the fabric8 Kubernetes API model: parsed into the typed
 * class (wrong types fail) and then rejected if any field landed in a model's catch-all
 * {@code additionalProperties} (an unknown field).
 */
final class CoreObjects {
    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
            "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
            "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private CoreObjects() {}

    static boolean knows(String apiVersion, String kind) {
        return KINDS.containsKey(apiVersion + "/" + kind);
    }

    /** Problems with a core object (empty when it is valid). */
    static List<String> validate(String apiVersion, String kind, JsonNode doc) {
        return parseStrictly(doc, KINDS.get(apiVersion + "/" + kind), "");
    }

    /** Problems with a custom resource's metadata, which the CRD schema leaves open. */
    static List<String> validateMetadata(JsonNode metadata) {
        return parseStrictly(metadata, ObjectMeta.class, "metadata");
    }

    private static List<String> parseStrictly(JsonNode doc, Class<?> type, String root) {
        List<String> problems = new ArrayList<>();
        Object parsed;
        try {
            parsed = MAPPER.treeToValue(doc, type);
        } catch (Exception e) {
            String message = e.getMessage();
            int nl = message == null ? -1 : message.indexOf('\n');
            problems.add((root.isEmpty() ? "" : root + ": ") + (nl < 0 ? message : message.substring(0, nl)));
            return problems;
        }
        unknownFields(parsed, root, problems, new IdentityHashMap<>());
        return problems;
    }

    private static void unknownFields(Object o, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    for (Object field : extra.keySet()) {
                        problems.add((path.isEmpty() ? "" : path + ".") + field + ": unknown field");
                    }
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            unknownFields(value, path.isEmpty() ? field : path + "." + field, problems, seen);
        }
    }
}
