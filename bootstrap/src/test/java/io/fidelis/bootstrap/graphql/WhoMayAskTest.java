package io.fidelis.bootstrap.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The role rules in use, as a refused caller reads them. */
class WhoMayAskTest {

	@Test
	void everyKindOfRuleInUseIsPutInWords() {
		assertThat(WhoMayAsk.whoMay("hasRole('STAFF_ADMIN')")).containsExactly("staff with the role admin");
		assertThat(WhoMayAsk.whoMay("hasRole('STAFF')")).containsExactly("staff (any role)");
		assertThat(WhoMayAsk.whoMay("hasAuthority('SCOPE_points:write')")).containsExactly("a client with the scope points:write");
		assertThat(WhoMayAsk.whoMay("hasRole('STAFF') or hasAuthority('SCOPE_points:read')"))
				.containsExactly("staff (any role)", "a client with the scope points:read");
		assertThat(WhoMayAsk.whoMay("hasAnyRole('MEMBER', 'STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')"))
				.containsExactly("staff with the role admin or operator or support", "a member");
		assertThat(WhoMayAsk.whoMay("hasAnyRole('STAFF', 'MEMBER', 'INTEGRATION')"))
				.containsExactly("staff (any role)", "a member", "an integration client");
		assertThat(WhoMayAsk.whoMay("hasAuthority('SCOPE_points:write') or hasRole('MEMBER')"))
				.containsExactly("a member", "a client with the scope points:write");
		assertThat(WhoMayAsk.whoMay("isAuthenticated()")).isEmpty();
	}
}
