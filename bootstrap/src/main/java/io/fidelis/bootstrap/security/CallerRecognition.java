package io.fidelis.bootstrap.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import io.fidelis.members.Caller;

/**
 * Tells the three kinds of callers apart from a validated token:
 * <ul>
 * <li>staff: the roles claim holds one of {@value #STAFF_ROLES_TEXT}; authorities {@code ROLE_STAFF} and
 * {@code ROLE_STAFF_<ROLE>};</li>
 * <li>member: the {@code scope} holds {@code member}; authority {@code ROLE_MEMBER};</li>
 * <li>integration client: any other scopes (e.g. {@code points:write}); authorities {@code ROLE_INTEGRATION}
 * and {@code SCOPE_<scope>}.</li>
 * </ul>
 * A valid token that names none of them is refused: it is not meant for Fidelis.
 */
final class CallerRecognition implements Converter<Jwt, CallerAuthentication> {

	static final Set<String> STAFF_ROLES = Set.of("admin", "operator", "support", "analyst");
	private static final String STAFF_ROLES_TEXT = "admin, operator, support, analyst";

	private final String rolesClaim;

	CallerRecognition(String rolesClaim) {
		this.rolesClaim = rolesClaim;
	}

	@Override
	public CallerAuthentication convert(Jwt jwt) {
		String subject = jwt.getSubject();
		if (subject == null || subject.isBlank()) {
			throw new BadJwtException("The token has no subject");
		}
		Set<String> roles = new LinkedHashSet<>();
		for (String role : strings(claim(jwt.getClaims(), rolesClaim))) {
			String lower = role.toLowerCase(Locale.ROOT);
			if (STAFF_ROLES.contains(lower)) {
				roles.add(lower);
			}
		}
		Set<String> scopes = new LinkedHashSet<>(strings(jwt.getClaims().get("scope")));
		scopes.addAll(strings(jwt.getClaims().get("scp")));

		// a "programs" claim limits the programs this operator or client reaches; none means every program
		Set<String> programs = new LinkedHashSet<>(strings(jwt.getClaims().get("programs")));
		List<GrantedAuthority> authorities = new ArrayList<>();
		if (!roles.isEmpty()) {
			authorities.add(new SimpleGrantedAuthority("ROLE_STAFF"));
			roles.forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_STAFF_" + r.toUpperCase(Locale.ROOT))));
			return new CallerAuthentication(new Caller.Staff(subject, roles, programs), jwt, authorities);
		}
		if (scopes.contains("member")) {
			authorities.add(new SimpleGrantedAuthority("ROLE_MEMBER"));
			return new CallerAuthentication(new Caller.Member(subject), jwt, authorities);
		}
		if (!scopes.isEmpty()) {
			authorities.add(new SimpleGrantedAuthority("ROLE_INTEGRATION"));
			scopes.forEach(s -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + s)));
			String client = firstText(jwt.getClaimAsString("client_id"), jwt.getClaimAsString("azp"), subject);
			return new CallerAuthentication(new Caller.IntegrationClient(client, scopes, programs), jwt, authorities);
		}
		throw new BadJwtException("The token names no Fidelis caller: no staff role, no member scope, no API scope");
	}

	private static Object claim(Map<String, Object> claims, String path) {
		Object current = claims;
		for (String part : path.split("\\.")) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(part);
		}
		return current;
	}

	private static List<String> strings(Object value) {
		if (value instanceof String text) {
			return Arrays.stream(text.split("\\s+")).filter(s -> !s.isBlank()).toList();
		}
		if (value instanceof Collection<?> values) {
			return values.stream().map(String::valueOf).toList();
		}
		return List.of();
	}

	private static String firstText(String... values) {
		for (String v : values) {
			if (v != null && !v.isBlank()) {
				return v;
			}
		}
		return null;
	}
}
