package io.tlswatch.launcher;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ACLs docs/kafka.md lists per principal ("ACLs per service principal": the topic table and the table of other
 * resources), read from the document itself so that a test granting exactly these fails when the document is wrong.
 * Each row's principal is its cell's first word ({@code User:validator}); a topic written {@code `P`tlswatch.x} is
 * put under the deployment's prefix; the operations in "(+ ... with `never`)" count only with
 * {@code kafka.topics.create=never}, an "(or ...)" alternative never; the rows for the validator's admin API only
 * when it is on; a resource of another kind is named by its default, the last {@code `...`} of its cell.
 */
final class DocumentedAcls {

    private static final String SECTION = "## ACLs per service principal";
    private static final Pattern TOPIC = Pattern.compile("`P`(tlswatch\\.[a-z.-]+\\.v\\d+)");
    private static final Pattern PREFIXED_TOPICS = Pattern.compile("prefixed pattern `P`(tlswatch\\.)");
    private static final Pattern NEVER_EXTRA = Pattern.compile("\\(\\+ ([A-Z_, ]+) with `never`\\)");
    private static final Pattern OPERATION = Pattern.compile("\\b[A-Z][A-Z_]+\\b");
    private static final Pattern LAST_CODE = Pattern.compile("`([^`]+)`(?!.*`)");

    private final List<List<String>> topicRows;
    private final List<List<String>> otherRows;

    private DocumentedAcls(List<List<String>> topicRows, List<List<String>> otherRows) {
        this.topicRows = topicRows;
        this.otherRows = otherRows;
    }

    static DocumentedAcls read(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
        int start = lines.indexOf(SECTION);
        if (start < 0) {
            throw new IllegalStateException(markdown + " has no section '" + SECTION + "'");
        }
        List<List<String>> topicRows = new ArrayList<>();
        List<List<String>> otherRows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| principal")) {
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|"))
                    .map(String::strip).toList();
            switch (cells.size()) {
                case 3 -> topicRows.add(cells);
                case 5 -> otherRows.add(cells);
                default -> throw new IllegalStateException("an ACL table row of " + cells.size() + " cells: " + line);
            }
        }
        if (topicRows.isEmpty() || otherRows.isEmpty()) {
            throw new IllegalStateException("the two ACL tables of " + markdown + " were not found");
        }
        return new DocumentedAcls(topicRows, otherRows);
    }

    /**
     * Every documented ACL of a deployment whose topics are under {@code prefix}, with the streams job's and the
     * notifier's default application and group ids.
     */
    List<AclBinding> bindings(String prefix, boolean never, boolean adminApi) {
        List<AclBinding> bindings = new ArrayList<>();
        for (List<String> row : topicRows) {
            if (row.get(0).contains("admin API") && !adminApi) {
                continue;
            }
            String principal = principal(row.get(0));
            List<AclOperation> operations = operations(row.get(2), never);
            List<ResourcePattern> resources = new ArrayList<>();
            Matcher prefixed = PREFIXED_TOPICS.matcher(row.get(1));
            if (prefixed.find()) {
                resources.add(new ResourcePattern(ResourceType.TOPIC, prefix + prefixed.group(1), PatternType.PREFIXED));
            } else {
                Matcher topic = TOPIC.matcher(row.get(1));
                while (topic.find()) {
                    resources.add(new ResourcePattern(ResourceType.TOPIC, prefix + topic.group(1), PatternType.LITERAL));
                }
            }
            if (resources.isEmpty()) {
                throw new IllegalStateException("no topic in the ACL row " + row);
            }
            resources.forEach(resource -> operations.forEach(op -> bindings.add(binding(resource, principal, op))));
        }
        for (List<String> row : otherRows) {
            if (row.get(1).startsWith("(none)")) {
                continue;
            }
            String[] kind = row.get(1).split(",\\s*");
            ResourceType type = ResourceType.fromString(kind[0].strip());
            if (type == ResourceType.UNKNOWN) {
                throw new IllegalStateException("unknown resource type in the ACL row " + row);
            }
            PatternType pattern = kind.length > 1 && kind[1].strip().equals("prefixed") ? PatternType.PREFIXED
                    : PatternType.LITERAL;
            Matcher name = LAST_CODE.matcher(row.get(2));
            if (!name.find()) {
                throw new IllegalStateException("no default name in the ACL row " + row);
            }
            ResourcePattern resource = new ResourcePattern(type, name.group(1), pattern);
            String principal = principal(row.get(0));
            operations(row.get(3), never).forEach(op -> bindings.add(binding(resource, principal, op)));
        }
        return bindings;
    }

    private static String principal(String cell) {
        return "User:" + cell.split("[\\s(]", 2)[0];
    }

    /** The operations before any parenthesis, and those of "(+ ... with `never`)" when {@code never}. */
    private static List<AclOperation> operations(String cell, boolean never) {
        int paren = cell.indexOf('(');
        List<AclOperation> operations = new ArrayList<>(parse(paren < 0 ? cell : cell.substring(0, paren)));
        Matcher extra = NEVER_EXTRA.matcher(cell);
        if (never && extra.find()) {
            operations.addAll(parse(extra.group(1)));
        }
        if (operations.isEmpty()) {
            throw new IllegalStateException("no operation in '" + cell + "'");
        }
        return operations;
    }

    private static List<AclOperation> parse(String text) {
        List<AclOperation> operations = new ArrayList<>();
        Matcher op = OPERATION.matcher(text);
        while (op.find()) {
            AclOperation operation = AclOperation.fromString(op.group().toUpperCase(Locale.ROOT));
            if (operation == AclOperation.UNKNOWN) {
                throw new IllegalStateException("unknown ACL operation " + op.group() + " in '" + text + "'");
            }
            operations.add(operation);
        }
        return operations;
    }

    private static AclBinding binding(ResourcePattern resource, String principal, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
