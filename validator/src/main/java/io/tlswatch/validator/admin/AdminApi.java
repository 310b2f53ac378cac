package io.tlswatch.validator.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.tlswatch.contract.event.AdminScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The admin API, plain and thread-safe: authenticates the bearer token, applies the token's rate limit, routes,
 * checks the scope, reads the body and calls the operation. The HTTP handler only copies requests in and responses
 * out. Runs on a worker thread, as writes wait for Kafka.
 *
 * <p>Order of refusals: 401 (no valid token) before anything else, so that nothing, not even which paths exist, is
 * told to a caller without one; then 429, 404/405, 403, 415, and the operation's own 404/409/422.
 */
public final class AdminApi {

    public static final String PREFIX = "/v1/admin/";
    /** Every operation's name: the {@code operation} tag of {@code tlswatch.admin.requests}. */
    public static final List<String> OPERATIONS = List.of("none", "licenses.list", "licenses.issue", "licenses.get",
            "licenses.modify", "licenses.renew", "licenses.suspend", "licenses.resume", "licenses.revoke",
            "licenses.reissue-key", "machines.list", "machines.deactivate", "policies.list", "policies.create",
            "policies.get", "policies.update", "policies.delete");
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final AdminAuthenticator authenticator;
    private final AdminRateLimiter limiter;
    private final AdminMetrics metrics;
    private final LicenseOperations licenses;
    private final MachineOperations machines;
    private final PolicyOperations policies;

    public AdminApi(AdminAuthenticator authenticator, AdminRateLimiter limiter, AdminMetrics metrics,
                    LicenseOperations licenses, MachineOperations machines, PolicyOperations policies) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.metrics = metrics;
        this.licenses = licenses;
        this.machines = machines;
        this.policies = policies;
    }

    /** An operation routed: its name, the scope it needs, and what runs it. */
    private record Route(String method, String operation, AdminScope scope, Set<String> fields, Call call) {
    }

    @FunctionalInterface
    private interface Call {
        AdminResponse run(AdminPrincipal by, AdminBody body);
    }

    public AdminResponse handle(AdminRequest request) {
        long started = System.nanoTime();
        AdminResponse response;
        try {
            response = answer(request);
        } catch (AdminError e) {
            response = AdminResponse.error(e.status(), e.code(), e.getMessage(), e.field());
        } catch (RuntimeException e) {
            log.error("Admin request {} failed", request, e);
            response = AdminResponse.error(500, "internal_error", "the request could not be completed", null);
        }
        if (response.status() >= 400 && response.body() instanceof Map<?, ?> body
                && body.get("error") instanceof Map<?, ?> error) {
            metrics.error(String.valueOf(error.get("code")));
        }
        metrics.answered(response.operation(), response.status(),
                Duration.ofNanos(System.nanoTime() - started));
        return response;
    }

    private AdminResponse answer(AdminRequest request) {
        AdminAuthenticator.Result auth = authenticator.authenticate(request.authorization());
        if (auth.principal() == null) {
            metrics.authFailed(auth.failure());
            return AdminResponse.error(401, "unauthorized", switch (auth.failure()) {
                case MISSING -> "an admin token is required: Authorization: Bearer tlswatch_at_...";
                case MALFORMED -> "the bearer token is not an admin token (tlswatch_at_...)";
                case UNKNOWN -> "the admin token is unknown or revoked";
                case EXPIRED -> "the admin token has expired";
            }, "Authorization").withHeader("WWW-Authenticate", "Bearer realm=\"tlswatch-admin\"");
        }
        AdminPrincipal principal = auth.principal();
        long wait = limiter.take(principal.tokenId());
        if (wait > 0) {
            metrics.rateLimited();
            return AdminResponse.error(429, "rate_limited", "too many requests with this token; retry after the "
                    + "Retry-After seconds", null)
                    .withHeader("Retry-After", Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1)));
        }
        Route route = route(request);
        if (!principal.scope().includes(route.scope())) {
            return AdminResponse.error(403, "forbidden", route.operation() + " needs a token of scope "
                    + route.scope().name().toLowerCase(Locale.ROOT) + "; this one has "
                    + principal.scope().name().toLowerCase(Locale.ROOT), "Authorization").named(route.operation());
        }
        AdminBody body = body(request, route);
        return route.call().run(principal, body).named(route.operation());
    }

    private static AdminBody body(AdminRequest request, Route route) {
        if (request.body().length == 0) {
            return AdminBody.parse(request.body(), route.fields());
        }
        String type = request.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
            throw new AdminError(415, "unsupported_media_type", "Content-Type", "the body must be application/json");
        }
        return AdminBody.parse(request.body(), route.fields());
    }

    private Route route(AdminRequest request) {
        if (!request.path().startsWith(PREFIX)) {
            throw notFound(request);
        }
        List<String> parts = new ArrayList<>();
        for (String segment : request.path().substring(PREFIX.length()).split("/", -1)) {
            parts.add(QueryStringDecoder.decodeComponent(segment, StandardCharsets.UTF_8));
        }
        int n = parts.size();
        String resource = parts.get(0);
        if (resource.equals("licenses") && n == 1) {
            return pick(request,
                    new Route("GET", "licenses.list", AdminScope.READ, Set.of(), (by, b) -> licenses.list(request)),
                    new Route("POST", "licenses.issue", AdminScope.WRITE, LicenseOperations.ISSUE_FIELDS,
                            licenses::issue));
        }
        if (resource.equals("licenses") && n == 2) {
            String id = parts.get(1);
            return pick(request,
                    new Route("GET", "licenses.get", AdminScope.READ, Set.of(), (by, b) -> licenses.get(id)),
                    new Route("PATCH", "licenses.modify", AdminScope.WRITE, LicenseOperations.MODIFY_FIELDS,
                            (by, b) -> licenses.modify(by, id, b)));
        }
        if (resource.equals("licenses") && n == 3) {
            String id = parts.get(1);
            return pick(request, switch (parts.get(2)) {
                case "renew" -> new Route("POST", "licenses.renew", AdminScope.WRITE, LicenseOperations.RENEW_FIELDS,
                        (by, b) -> licenses.renew(by, id, b));
                case "suspend" -> new Route("POST", "licenses.suspend", AdminScope.WRITE,
                        LicenseOperations.REASON_ONLY, (by, b) -> licenses.suspend(by, id, b));
                case "resume" -> new Route("POST", "licenses.resume", AdminScope.WRITE,
                        LicenseOperations.REASON_ONLY, (by, b) -> licenses.resume(by, id, b));
                case "revoke" -> new Route("POST", "licenses.revoke", AdminScope.WRITE,
                        LicenseOperations.REASON_ONLY, (by, b) -> licenses.revoke(by, id, b));
                case "reissue-key" -> new Route("POST", "licenses.reissue-key", AdminScope.WRITE,
                        LicenseOperations.REASON_ONLY, (by, b) -> licenses.reissueKey(by, id, b));
                case "machines" -> new Route("GET", "machines.list", AdminScope.READ, Set.of(),
                        (by, b) -> machines.list(id));
                default -> throw notFound(request);
            });
        }
        if (resource.equals("licenses") && n == 5 && parts.get(2).equals("machines")
                && parts.get(4).equals("deactivate")) {
            String id = parts.get(1);
            String machineId = parts.get(3);
            return pick(request, new Route("POST", "machines.deactivate", AdminScope.WRITE,
                    LicenseOperations.REASON_ONLY, (by, b) -> machines.deactivate(by, id, machineId, b)));
        }
        if (resource.equals("policies") && n == 1) {
            return pick(request,
                    new Route("GET", "policies.list", AdminScope.READ, Set.of(), (by, b) -> policies.list()),
                    new Route("POST", "policies.create", AdminScope.WRITE, PolicyOperations.CREATE_FIELDS,
                            policies::create));
        }
        if (resource.equals("policies") && n == 2) {
            String id = parts.get(1);
            return pick(request,
                    new Route("GET", "policies.get", AdminScope.READ, Set.of(), (by, b) -> policies.get(id)),
                    new Route("PUT", "policies.update", AdminScope.WRITE, PolicyOperations.UPDATE_FIELDS,
                            (by, b) -> policies.update(by, id, b)),
                    new Route("DELETE", "policies.delete", AdminScope.WRITE, Set.of(),
                            (by, b) -> policies.delete(by, id, request.param("reason"))));
        }
        throw notFound(request);
    }

    /** The route of the request's method among those of its path; 405 naming the methods allowed else. */
    private static Route pick(AdminRequest request, Route... routes) {
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            if (route.method().equals(request.method())) {
                return route;
            }
            allowed.add(route.method());
        }
        throw new AdminError(405, "method_not_allowed", null, request.path() + " takes " + String.join(", ", allowed));
    }

    private static AdminError notFound(AdminRequest request) {
        return new AdminError(404, "not_found", null, "no such endpoint: " + request.path());
    }
}
