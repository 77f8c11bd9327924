package io.fidelis.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The header rules without regular expressions answer exactly what Spring's stock ones do. */
class BearerTokensTest {

	private final BearerTokens ours = new BearerTokens();
	private final DefaultBearerTokenResolver stock = new DefaultBearerTokenResolver();

	@Test
	void theTokenOfEveryHeaderIsReadOrRefusedAsTheStockResolverDoes() {
		String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb3MifQ.c2lnbmF0dXJl";
		String[] headers = { null, "", "Basic dXNlcjpwYXNz", "Bearer " + jwt, "bearer " + jwt, "BEARER " + jwt,
				"Bearer abc==", "Bearer abc=d", "Bearer ", "Bearer", "Bearer  " + jwt, "Bearer " + jwt + " ",
				"Bearer a b", "Bearer a\tb", "Bearer ä", "Bearerx " + jwt, "Bearer a~+/-._9Z", "Bearer ===",
				"Negotiate abc", "bear " + jwt };
		for (String header : headers) {
			assertThat(outcome(ours, header)).as("Authorization: %s", header).isEqualTo(outcome(stock, header));
		}
		assertThat(outcome(ours, "Bearer " + jwt)).isEqualTo("token " + jwt);
		assertThat(outcome(ours, "Bearer a b")).startsWith("refused");
	}

	@Test
	void headerValuesAreAllowedOrRejectedAsByTheStockFirewall() {
		StrictHttpFirewall stockFirewall = new StrictHttpFirewall();
		StrictHttpFirewall ourFirewall = BearerTokens.firewall();
		String[] values = { "plain", "Bearer eyJ.abc.def", "with\ttab", "caf\u00e9", "line\nbreak", "nul\u0000", "del\u007f",
				"\u0085next-line", "unassigned\uffff", "emoji \ud83d\ude00", "" };
		for (String value : values) {
			assertThat(allowed(ourFirewall, value)).as("header value %s", value.replace("\n", "\\n"))
					.isEqualTo(allowed(stockFirewall, value));
		}
		assertThat(allowed(ourFirewall, "nul\u0000")).isFalse();
		assertThat(allowed(ourFirewall, "caf\u00e9")).isTrue();
	}

	private static String outcome(org.springframework.security.oauth2.server.resource.web.BearerTokenResolver resolver,
			String header) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/graphql");
		if (header != null) {
			request.addHeader("Authorization", header);
		}
		try {
			String token = resolver.resolve(request);
			return token == null ? "none" : "token " + token;
		}
		catch (OAuth2AuthenticationException e) {
			return "refused " + e.getError().getErrorCode();
		}
	}

	private static boolean allowed(StrictHttpFirewall firewall, String value) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/graphql");
		request.addHeader("X-Test", value);
		try {
			firewall.getFirewalledRequest(request).getHeader("X-Test");
			return true;
		}
		catch (RequestRejectedException e) {
			return false;
		}
	}
}
