package io.acip.gateway.attach;

/**
 * An agent attachment document that cannot be accepted, naming the JSON path of the offending field
 * ({@code skills[2].id: must not be empty}); {@code $} is the document itself.
 */
public final class RegistrationException extends Exception {
    private final String path;
    private final String problem;

    public RegistrationException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** Where in the document: {@code skills[2].id}, {@code origin}, or {@code $}. */
    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }
}
