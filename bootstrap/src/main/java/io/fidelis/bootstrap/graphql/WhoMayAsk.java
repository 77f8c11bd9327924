package io.fidelis.bootstrap.graphql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.Ordered;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;

/**
 * A caller refused by an operation's role rule hears which callers it is open to ("needs a staff
 * role admin or operator, or the scope members:write"), read from the rule that refused it, so
 * the fix (another token, another scope) is clear. A caller without a token is left to Spring's
 * own resolver ({@code UNAUTHENTICATED}); refusals a module decides (another member, another
 * program) keep their own message.
 */
final class WhoMayAsk extends DataFetcherExceptionResolverAdapter implements Ordered {

	private static final Pattern ROLE = Pattern.compile("has(?:Any)?Role\\(([^)]*)\\)");
	private static final Pattern AUTHORITY = Pattern.compile("has(?:Any)?Authority\\(([^)]*)\\)");
	private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

	private final AuthenticationTrustResolverImpl anonymous = new AuthenticationTrustResolverImpl();

	@Override
	protected GraphQLError resolveToSingleError(Throwable e, DataFetchingEnvironment env) {
		if (!(e instanceof AuthorizationDeniedException denied)
				|| !(denied.getAuthorizationResult() instanceof ExpressionAuthorizationDecision decision)) {
			return null;
		}
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (caller == null || anonymous.isAnonymous(caller)) {
			return null;
		}
		List<String> who = whoMay(decision.getExpression().getExpressionString());
		String field = env.getField().getName();
		String message = who.isEmpty() ? "Forbidden: this caller may not use " + field
				: "Forbidden: " + field + " is open to " + String.join(", or ", who) + "; this caller is none of them";
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.FORBIDDEN).message(message)
				.extensions(Map.of("code", "FORBIDDEN", "allowed", who)).build();
	}

	/** The callers a rule such as {@code hasAnyRole('STAFF_ADMIN', 'MEMBER') or hasAuthority('SCOPE_points:write')} lets in, in words. */
	static List<String> whoMay(String rule) {
		Set<String> staff = new LinkedHashSet<>();
		List<String> who = new ArrayList<>();
		Matcher roles = ROLE.matcher(rule);
		while (roles.find()) {
			Matcher names = QUOTED.matcher(roles.group(1));
			while (names.find()) {
				String role = names.group(1);
				if (role.startsWith("STAFF_")) {
					staff.add(role.substring("STAFF_".length()).toLowerCase(java.util.Locale.ROOT));
				}
				else if (role.equals("STAFF")) {
					staff.add("*");
				}
				else if (role.equals("MEMBER")) {
					who.add("a member");
				}
				else if (role.equals("INTEGRATION")) {
					who.add("an integration client");
				}
				else {
					who.add("the role " + role);
				}
			}
		}
		if (staff.contains("*")) {
			who.add(0, "staff (any role)");
		}
		else if (!staff.isEmpty()) {
			who.add(0, "staff with the role " + String.join(" or ", staff));
		}
		Matcher authorities = AUTHORITY.matcher(rule);
		while (authorities.find()) {
			Matcher names = QUOTED.matcher(authorities.group(1));
			while (names.find()) {
				String authority = names.group(1);
				who.add(authority.startsWith("SCOPE_") ? "a client with the scope " + authority.substring("SCOPE_".length())
						: "the authority " + authority);
			}
		}
		return List.copyOf(new LinkedHashSet<>(who));
	}

	/** Before Spring's own security resolver, which would answer a bare "Forbidden". */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}
}
