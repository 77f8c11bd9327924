package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Each caller has their own rate: a member or a client going over it hears 429 with Retry-After
 * and a GraphQL-shaped RATE_LIMITED, while others carry on; limits are set per client.
 */
@TestPropertySource(properties = { "fidelis.rate-limits.member.per-second=0.5", "fidelis.rate-limits.member.burst=4",
		"fidelis.rate-limits.clients.tight-till.per-second=0.2", "fidelis.rate-limits.clients.tight-till.burst=2" })
class RateLimitApiTest extends ApiTest {

	private EntityExchangeResult<String> ask(String token) {
		return http().post().uri("/graphql").header("Authorization", "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":\"{ __typename }\"}").exchange()
				.expectBody(String.class).returnResult();
	}

	@Test
	void aMemberOverTheirRateWaitsWhileOthersCarryOn() {
		String flooding = member("flood-" + key());
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			statuses.add(ask(flooding).getStatus().value());
		}
		assertThat(statuses.subList(0, 4)).containsOnly(200);
		assertThat(statuses.subList(4, 6)).containsOnly(429);
		EntityExchangeResult<String> refused = ask(flooding);
		assertThat(refused.getStatus().value()).isEqualTo(429);
		assertThat(Long.parseLong(refused.getResponseHeaders().getFirst("Retry-After"))).isBetween(1L, 2L);
		assertThat(refused.getResponseBody()).contains("\"code\":\"RATE_LIMITED\"");

		assertThat(ask(member("calm-" + key())).getStatus().value()).as("another member").isEqualTo(200);
		assertThat(ask(pos()).getStatus().value()).as("a till").isEqualTo(200);
	}

	@Test
	void aClientWithItsOwnLimitIsHeldToIt() {
		String tight = token("pos", "subject", "tight-till");
		assertThat(ask(tight).getStatus().value()).isEqualTo(200);
		assertThat(ask(tight).getStatus().value()).isEqualTo(200);
		EntityExchangeResult<String> refused = ask(tight);
		assertThat(refused.getStatus().value()).isEqualTo(429);
		assertThat(Long.parseLong(refused.getResponseHeaders().getFirst("Retry-After"))).isBetween(4L, 5L);
		for (int i = 0; i < 10; i++) {
			assertThat(ask(token("pos", "subject", "default-till")).getStatus().value()).isEqualTo(200);
		}
	}
}
