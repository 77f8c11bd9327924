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
		"fidelis.rate-limits.anonymous.per-second=0.2", "fidelis.rate-limits.anonymous.burst=5",
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
		double refusedBefore = scraped("fidelis_rate_limited_total", "caller=\"MEMBER\"");
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
		assertThat(scraped("fidelis_rate_limited_total", "caller=\"MEMBER\"")).as("refusals counted by caller kind").isEqualTo(refusedBefore + 3);

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

	@Test
	void operationsOverASocketTakeFromTheSameRate() {
		String flooding = member("socket-flood-" + key());
		var socket = org.springframework.graphql.client.WebSocketGraphQlClient.builder("ws://localhost:" + port + "/graphql-ws",
				new org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient())
				.interceptor(new org.springframework.graphql.client.WebSocketGraphQlClientInterceptor() {
					@Override
					public reactor.core.publisher.Mono<Object> connectionInitPayload() {
						return reactor.core.publisher.Mono.just(java.util.Map.of("Authorization", "Bearer " + flooding));
					}
				}).build();
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			var response = socket.document("{ __typename }").execute().block(java.time.Duration.ofSeconds(15));
			codes.add(response.getErrors().isEmpty() ? "OK" : String.valueOf(response.getErrors().get(0).getExtensions().get("code")));
		}
		assertThat(codes.subList(0, 4)).containsOnly("OK");
		assertThat(codes.subList(4, 6)).containsOnly("RATE_LIMITED");
		assertThat(ask(flooding).getStatus().value()).as("and over HTTP too, the same bucket").isEqualTo(429);
	}

	@Test
	void requestsWithoutATokenAreLimitedByAddress() {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			statuses.add(http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
					.bodyValue("{\"query\":\"{ __typename }\"}").exchange().expectBody(String.class).returnResult()
					.getStatus().value());
		}
		// the address's burst of 5 (less what this context's sockets took when they opened), then nothing
		int firstRefused = statuses.indexOf(429);
		assertThat(firstRefused).isBetween(1, 5);
		assertThat(statuses.subList(0, firstRefused)).containsOnly(200);
		assertThat(statuses.subList(firstRefused, statuses.size())).containsOnly(429);
	}
}
