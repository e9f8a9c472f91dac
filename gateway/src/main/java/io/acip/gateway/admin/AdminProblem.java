package io.acip.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.attach.AttachRefusedException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;

/**
 * An admin request refused: its status and an RFC 9457 problem document whose type ends in {@code type}, with
 * extra members naming what was in the way ({@code holder}, {@code address}).
 */
record AdminProblem(int status, String type, String detail, Map<String, String> members) {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "https://acip.dev/problems/admin/";
    private static final ObjectMapper JSON = new ObjectMapper();

    AdminProblem {
        members = Map.copyOf(members);
    }

    AdminProblem(int status, String type, String detail) {
        this(status, type, detail, Map.of());
    }

    static AdminProblem of(AttachRefusedException e) {
        return new AdminProblem(e.status(), e.type(), e.getMessage(), e.members());
    }

    /** RFC 9457 §3.1 members first, then the extension members in name order. */
    String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", TYPE_PREFIX + type);
        doc.put("title", HttpStatus.getMessage(status));
        doc.put("status", status);
        doc.put("detail", detail);
        new java.util.TreeMap<>(members).forEach(doc::putIfAbsent);
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
